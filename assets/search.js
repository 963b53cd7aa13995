// search.js: the portal's search, an ES module with no dependencies. It
// reads the index generator/search.c writes under search/ (the formats are
// described there): the manifest, the shard of each query term, the rest of
// long postings lists when they are small or the reader asks for all
// results, and the metadata record of each result shown (by byte range). The tokenizer mirrors
// generator/tokenize.c; both are tested against tests/search/vectors.txt.
// Indexed and typed text reaches the page through DOM nodes and
// textContent only, never as HTML.

// --- tokenizer (the same rules as generator/tokenize.c) ----------------------

const CJK = [[0x1100, 0x11ff], [0x2e80, 0x2fdf], [0x3005, 0x3007], [0x3021, 0x3029],
	[0x3031, 0x3035], [0x3038, 0x303c], [0x3040, 0x30ff], [0x3130, 0x318f], [0x31f0, 0x31ff],
	[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa960, 0xa97f], [0xac00, 0xd7ff], [0xf900, 0xfaff],
	[0x1b000, 0x1b16f], [0x20000, 0x3ffff]];
const WORD = /[\p{L}\p{M}\p{N}]/u;
const DIGIT = /[0-9]/;
const MAXCHARS = 32;
// Where JavaScript's lower case is not Unicode case folding (utf8proc's).
const FOLD = { 'ß': 'ss', 'ς': 'σ', '\u0345': 'ι', '\u1c80': 'в', '\u1c81': 'д', '\u1c82': 'о',
	'\u1c83': 'с', '\u1c84': 'т', '\u1c85': 'т', '\u1c86': 'ъ', '\u1c87': 'ѣ', '\u1c88': '\ua64b' };

// NFKC, case folded, default ignorable characters dropped.
export function fold(s) {
	return s.normalize('NFKC').toLowerCase().normalize('NFD')
		.replace(/\p{Default_Ignorable_Code_Point}/gu, '')
		.replace(/[ßς\u0345\u1c80-\u1c88\u13f8-\u13fd\uab70-\uabbf]/g, (c) => FOLD[c] ||
			String.fromCharCode(c.charCodeAt(0) - (c < '\uab70' ? 8 : 0xab70 - 0x13a0)))
		.normalize('NFKC');
}

function isCjk(c) {
	const cp = c.codePointAt(0);
	let lo = 0, hi = CJK.length;
	while (cp >= 0x1100 && lo < hi) {
		const m = (lo + hi) >> 1;
		if (cp < CJK[m][0]) hi = m;
		else if (cp > CJK[m][1]) lo = m + 1;
		else return WORD.test(c);
	}
	return false;
}

// Calls word(start, end, atEnd) and run(start, end) over the code points cps.
function scan(cps, word, run) {
	for (let i = 0; i < cps.length;) {
		let j = i;
		if (isCjk(cps[i])) {
			while (j < cps.length && isCjk(cps[j])) j++;
			run(i, j);
		} else if (WORD.test(cps[i])) {
			for (; j < cps.length; j++) {
				const c = cps[j];
				if (!(c === '.' && DIGIT.test(cps[j - 1]) && DIGIT.test(cps[j + 1] || '')) &&
					(!WORD.test(c) || isCjk(c))) break;
			}
			word(i, j, j === cps.length);
		} else {
			j++;
		}
		i = j;
	}
}

const cut = (cps, i, j) => cps.slice(i, Math.min(j, i + MAXCHARS)).join('');

// The index terms of text: words, and each CJK character and pair.
export function tokenize(text) {
	const cps = Array.from(fold(text)), out = [];
	scan(cps, (i, j) => out.push(cut(cps, i, j)), (i, j) => {
		for (let k = i; k < j; k++) {
			out.push(cps[k]);
			if (k + 1 < j) out.push(cps[k] + cps[k + 1]);
		}
	});
	return out;
}

// The terms a query looks up: CJK pairs only (a lone character stays), and
// the last word as a prefix when the text does not end after it.
export function queryTerms(text) {
	const cps = Array.from(fold(text)), out = [];
	scan(cps, (i, j, end) => out.push({ t: cut(cps, i, j), prefix: end }), (i, j) => {
		if (j - i === 1) out.push({ t: cps[i], cjk: 1 });
		for (let k = i; k + 1 < j; k++) out.push({ t: cps[k] + cps[k + 1], cjk: 1 });
	});
	return out;
}

// --- the index ---------------------------------------------------------------

const utf8 = new TextDecoder();
const enc = new TextEncoder();
const EXPANSIONS = 16;  // terms a prefix stands for, the most common first
const TAIL_BUDGET = 32768;  // bytes of tails a query reads unasked
const GAP = 512;  // bytes between two ranges worth reading to make them one request
const PREFIX_WEIGHT = 0.7;

function vint(r) {
	let v = 0, s = 1, c;
	do {
		c = r.b[r.i++];
		v += (c & 127) * s;
		s *= 128;
	} while (c > 127);
	return v;
}

// Terms compare as the C side sorts them: by UTF-8 bytes.
function cmp(a, b) {
	const x = enc.encode(a), y = enc.encode(b);
	for (let i = 0; i < x.length && i < y.length; i++)
		if (x[i] !== y[i]) return x[i] - y[i];
	return x.length - y.length;
}

function parseShard(b) {
	const r = { b, i: 0 }, n = vint(r), recs = new Map();
	let prev = new Uint8Array(0);
	for (let k = 0; k < n; k++) {
		const shared = vint(r), len = vint(r), tb = new Uint8Array(shared + len);
		tb.set(prev.subarray(0, shared));
		tb.set(b.subarray(r.i, r.i + len), shared);
		r.i += len;
		prev = tb;
		const e = { t: utf8.decode(tb), df: vint(r), idf: vint(r), n: vint(r) }, hl = vint(r);
		e.head = b.subarray(r.i, r.i + hl);
		r.i += hl;
		if (e.n < e.df) e.tail = [vint(r), vint(r), vint(r)];
		recs.set(e.t, e);
	}
	return recs;
}

// Calls add(page, step) for n postings in runs of equal step.
function postings(b, n, add) {
	const r = { b, i: 0 };
	for (let k = 0; k < n;) {
		const q = vint(r), c = vint(r);
		for (let j = 0, d = 0; j < c; j++) add(d = j ? d + vint(r) : vint(r), q);
		k += c;
	}
}

async function inflate(bytes) {
	const s = new Response(bytes).body.pipeThrough(new DecompressionStream('deflate'));
	return new Uint8Array(await new Response(s).arrayBuffer());
}

// Files from base over HTTP. A range the server does not honour (status 200)
// still works: the whole file is kept and sliced. get.ranges(name) asks the
// server (HEAD) whether it honours ranges.
export function httpGet(base) {
	const whole = new Map();
	const get = async (name, range) => {
		if (whole.has(name)) return whole.get(name).subarray(...range);
		const res = await fetch(base + name, range ? { headers: { Range: `bytes=${range[0]}-${range[1] - 1}` } } : {});
		if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
		const b = new Uint8Array(await res.arrayBuffer());
		if (!range || res.status === 206) return b;
		whole.set(name, b);
		return b.subarray(...range);
	};
	get.ranges = async (name) => {
		try {
			return (await fetch(base + name, { method: 'HEAD' })).headers.get('accept-ranges') === 'bytes';
		} catch {
			return false;
		}
	};
	return get;
}

// An index read through get(name, [start, end]?) -> Uint8Array.
export function open(get) {
	const memo = new Map();
	const once = (k, f) => memo.has(k) ? memo.get(k) : (memo.set(k, f()), memo.get(k));
	const manifest = once('', async () => {
		const m = JSON.parse(utf8.decode(await get('index.json')));
		m.starts = [];
		m.runs.reduce((at, r) => (m.starts.push(at), at + r[3]), 0);
		// "same": runs of (page, original) pairs going up together, each
		// start counted from where the previous run ended.
		m.item = new Map();
		for (let k = 0, d = 0, o = 0; k + 2 < m.same.length; k += 3) {
			d += m.same[k], o += m.same[k + 1];
			for (let j = 0; j < m.same[k + 2]; j++) m.item.set(d++, o++);
		}
		return m;
	});
	const parsed = new Map();  // shards read so far, for suggest()
	const shard = (file) => once(file, async () => {
		const r = parseShard(await inflate(await get(file)));
		parsed.set(file, r);
		return r;
	});
	// A term's tail: its own zlib stream, read by byte range.
	const tail = (m, e) => once(e.tail.join(), async () => inflate(await get(m.tails[e.tail[0]], [e.tail[1], e.tail[1] + e.tail[2]])));
	// The tails of records es not read yet, neighbours in one range (a
	// prefix's words sit side by side).
	function readTails(m, es) {
		const files = new Map();
		for (const e of es) if (e.tail && !memo.has(e.tail.join())) files.set(e.tail[0], [...(files.get(e.tail[0]) || []), e]);
		for (const [f, list] of files)
			for (const [from, to, near] of spans(list, (e) => e.tail[1], (e) => e.tail[1] + e.tail[2])) {
				const b = get(m.tails[f], [from, to]);
				for (const e of near) memo.set(e.tail.join(), b.then((b) => inflate(b.subarray(e.tail[1] - from, e.tail[1] - from + e.tail[2]))));
			}
	}
	let ranges;  // Promise: the server answers byte ranges

	// The term's pages, or a prefix's: { docs: Map(page -> impact), complete }.
	async function group(m, q, all) {
		let i = 0, lo = 0, hi = m.shards.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cmp(m.shards[mid][0], q.t) <= 0) i = mid, lo = mid + 1;
			else hi = mid;
		}
		const files = m.shards.slice(i, i + 3).filter((s, k) => !k || (q.prefix && s[0].startsWith(q.t)));
		const recs = await Promise.all(files.map((s) => shard(s[1])));
		const use = [];
		for (const r of recs) if (r.has(q.t)) use.push([r.get(q.t), 1]);
		if (q.prefix) {
			const more = [];
			for (const r of recs) for (const e of r.values()) if (e.t !== q.t && e.t.startsWith(q.t)) more.push(e);
			more.sort((a, b) => b.df - a.df).slice(0, EXPANSIONS).forEach((e) => use.push([e, PREFIX_WEIGHT]));
		}
		// A longer word is no rarer than the word typed: its idf is capped.
		const docs = new Map(), cap = use.length && use[0][1] === 1 ? use[0][0].idf : Infinity;
		const [steps, range] = m.steps, step = (q) => Math.exp(Math.log(range) * (q / steps - 1));
		let complete = true, tailBytes = 0;
		if (all) readTails(m, use.map(([e]) => e));
		for (const [e, w] of use) {
			const add = (d, q) => (q = step(q) * Math.min(e.idf, w === 1 ? Infinity : cap) * w, docs.get(d) >= q || docs.set(d, q));
			postings(e.head, e.n, add);
			if (e.tail && all) postings(await tail(m, e), e.df - e.n, add);
			else if (e.tail) complete = false, tailBytes += e.tail[2];
		}
		return { docs, complete, tailBytes };
	}

	// A tag's pages: { docs: Set, complete }.
	async function tagDocs(m, slug, all) {
		const e = (await shard(m.tags.file)).get(slug), docs = new Set();
		if (!e) return { docs, complete: true };
		postings(e.head, e.n, (d) => docs.add(d));
		if (e.tail && all) postings(await tail(m, e), e.df - e.n, (d) => docs.add(d));
		return { docs, complete: !e.tail || all };
	}

	function facets(m, d) {
		let lo = 0, hi = m.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (m.starts[mid] <= d) lo = mid;
			else hi = mid - 1;
		}
		const r = m.runs[lo];
		return { lang: m.langs[r[0]], type: m.types[r[1]], year: r[2] ? String(r[2]) : '' };
	}

	// Every language searched at once (no lang filter), for a reader of
	// language prefer: that language's pages first, and of an item found in
	// several languages one version only, prefer's where it has one, else the
	// best ranked. Returns the pages left out (the manifest's "same" pairs
	// say which pages are one item); hits is reordered in place.
	function preferLang(m, hits, prefer) {
		const item = m.item, lang = new Map(), kept = new Map(), drop = new Set();
		for (const h of hits) lang.set(h.doc, facets(m, h.doc).lang);
		const first = (h) => (lang.get(h.doc) === prefer ? 0 : 1);
		hits.sort((a, b) => first(a) - first(b));  // stable: each language's ranking stays
		for (const h of hits) {
			const key = item.get(h.doc) ?? h.doc;
			if (kept.has(key)) drop.add(h.doc);
			else kept.set(key, h.doc);
		}
		return drop;
	}

	// Ranked results of query under filters { lang, type, year, tag }, with
	// the count of each filter value. all: read the tails too (exact).
	// prefer: the reader's language, when no lang filter searches them all
	// (preferLang); each language's count is then of all its pages.
	async function search(query, filters = {}, all = false, prefer = '') {
		const m = await manifest, seen = new Set();
		const qs = queryTerms(query).filter((q) => !seen.has(q.t) && seen.add(q.t));
		if (!qs.length) return null;
		const groups = await Promise.all(qs.map((q) => group(m, q, all)));
		// Tails make the results exact; they are read by byte range when they
		// are small together, so that no query downloads more as the site grows.
		if (!all && groups.reduce((n, g) => n + g.tailBytes, 0) <= TAIL_BUDGET && groups.some((g) => !g.complete) &&
			await (ranges ??= get.ranges ? get.ranges(m.tails[0]) : false))
			await Promise.all(groups.map(async (g, k) => g.complete || Object.assign(g, await group(m, qs[k], true))));
		const tags = m.tags ? Object.keys(m.tags.names) : [];
		const tagSets = new Map(await Promise.all(tags.map(async (t) =>
			[t, await tagDocs(m, t, all || t === filters.tag)])));

		// A page must be in every complete group; an incomplete one (only its
		// best pages read) cannot say no.
		const found = new Map();
		for (const g of groups)
			for (const [d, s] of g.docs) {
				const f = found.get(d);
				if (f) f.score += s, f.hits++;
				else found.set(d, { doc: d, score: s, hits: 1 });
			}
		let hits = [...found.values()].filter((h) => groups.every((g) => !g.complete || g.docs.has(h.doc)));
		let partial = false;
		if (!hits.length && groups.length > 1) {
			hits = [...found.values()];
			partial = hits.length > 0;
		}
		hits.sort((a, b) => (partial && b.hits - a.hits) || b.score - a.score || a.doc - b.doc);
		const dropped = prefer && !filters.lang ? preferLang(m, hits, prefer) : new Set();

		// Filters, and each value's count under the other filters.
		const names = ['lang', 'type', 'year', 'tag'];
		const counts = { lang: new Map(), type: new Map(), year: new Map(), tag: new Map() };
		const inTag = (d, t) => tagSets.get(t)?.docs.has(d);
		const results = [];
		for (const h of hits) {
			const f = facets(m, h.doc);
			const ok = names.map((n) => !filters[n] || (n === 'tag' ? inTag(h.doc, filters.tag) : f[n] === filters[n]));
			const dup = dropped.has(h.doc);  // another version of an item shown: counted there
			names.forEach((n, k) => {
				if (!ok.every((x, j) => x || j === k) || (dup && n !== 'lang')) return;
				const c = counts[n];
				if (n !== 'tag') c.set(f[n], (c.get(f[n]) || 0) + 1);
				else for (const t of tags) if (inTag(h.doc, t)) c.set(t, (c.get(t) || 0) + 1);
			});
			if (ok.every(Boolean) && !dup) results.push(Object.assign(h, f));
		}
		const exact = groups.every((g) => g.complete) && (!filters.tag || !!tagSets.get(filters.tag)?.complete);
		return { results, counts, exact, partial, terms: qs, all };
	}

	// [url, title, date, summary] of page d. The pages asked for at once
	// (a page of results) are read together: their slots (where each record
	// is) in byte ranges of the slot file, then their records in byte ranges
	// of the metadata files, neighbours in one range.
	const metas = new Map();
	let asked = null;
	function meta(d) {
		if (!metas.has(d))
			metas.set(d, new Promise((ok, no) => {
				if (!asked) asked = [], queueMicrotask(() => readMeta(asked, asked = null));
				asked.push({ d, ok, no });
			}));
		return metas.get(d);
	}

	// Ranges covering the sorted offsets of items (at(x), end(x)), merged
	// when less than GAP bytes apart: [[start, end, [item...]]...].
	function spans(items, at, end) {
		const out = [];
		for (const x of items.sort((a, b) => at(a) - at(b))) {
			const last = out[out.length - 1];
			if (last && at(x) - last[1] <= GAP) last[1] = Math.max(last[1], end(x)), last[2].push(x);
			else out.push([at(x), end(x), [x]]);
		}
		return out;
	}

	async function readMeta(reqs) {
		try {
			const m = await manifest, files = m.meta.files, u32 = (b, i) => b[i] + b[i + 1] * 256 + b[i + 2] * 65536 + b[i + 3] * 16777216;
			await Promise.all(spans(reqs, (r) => 4 * r.d, (r) => 4 * r.d + 8).map(async ([from, to, rs]) => {
				const b = await get(m.meta.slots, [from, to]);
				for (const r of rs) r.at = u32(b, 4 * r.d - from), r.end = u32(b, 4 * r.d - from + 4);
			}));
			const byFile = new Map();
			for (const r of reqs) {
				let f = 0;
				while (f + 1 < files.length && files[f + 1][0] <= r.at) f++;
				byFile.set(f, [...(byFile.get(f) || []), r]);
			}
			await Promise.all([...byFile].map(([f, rs]) => Promise.all(spans(rs, (r) => r.at, (r) => r.end).map(async ([from, to, group]) => {
				const b = await get(files[f][1], [from - files[f][0], to - files[f][0]]);
				for (const r of group) r.ok(JSON.parse(utf8.decode(b.subarray(r.at - from, r.end - from)))), r.done = 1;
			}))));
		} catch (e) {
			for (const r of reqs) if (!r.done) metas.delete(r.d), r.no(e);
		}
	}

	// "Did you mean": the query with each word that matches no indexed term
	// replaced by the nearest term of the shards its search already read
	// (memo only: no download of its own). Null when no word has one.
	async function suggest(query) {
		const m = await manifest;
		let changed = false;
		const words = queryTerms(query).map((q) => {
			if (q.cjk) return q.t;
			const recs = loadedShards(m, q.t);
			if (recs.some((r) => r.has(q.t) || (q.prefix && [...r.keys()].some((t) => t.startsWith(q.t))))) return q.t;
			const near = nearestTerm(q.t, recs);
			if (near) changed = true;
			return near || q.t;
		});
		return changed ? words.join(' ') : null;
	}

	// The parsed shards around term t that are already in memory.
	function loadedShards(m, t) {
		let i = 0, lo = 0, hi = m.shards.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cmp(m.shards[mid][0], t) <= 0) i = mid, lo = mid + 1;
			else hi = mid;
		}
		return m.shards.slice(Math.max(0, i - 1), i + 3).map((s) => parsed.get(s[1])).filter(Boolean);
	}

	return { search, meta, suggest, manifest: () => manifest };
}

// --- did you mean -------------------------------------------------------------

// Damerau-Levenshtein distance (adjacent swaps count one) over code points,
// or max + 1 once it is sure to exceed max.
export function distance(a, b, max) {
	a = Array.from(a), b = Array.from(b);
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let prev2 = null, prev = b.map((_, j) => j + 1);
	prev.unshift(0);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			const c = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + c);
			if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
			row.push(d);
			best = Math.min(best, d);
		}
		if (best > max) return max + 1;
		prev2 = prev, prev = row;
	}
	return prev[b.length];
}

// The indexed term nearest word among the shards' records: one typo for a
// word of 4 to 7 characters, two from 8; the most common of the nearest.
export function nearestTerm(word, shards) {
	const n = Array.from(word).length;
	if (n < 4 || /^[0-9.]+$/.test(word)) return null;
	const max = n >= 8 ? 2 : 1;
	let best = null, bestD = max + 1, bestDf = -1;
	for (const r of shards)
		for (const e of r.values()) {
			if (e.t === word || /^[0-9.]+$/.test(e.t)) continue;
			const d = distance(word, e.t, Math.min(max, bestD));
			if (d < bestD || (d === bestD && d <= max && (e.df > bestDf || (e.df === bestDf && cmp(e.t, best) < 0))))
				best = e.t, bestD = d, bestDf = e.df;
		}
	return bestD <= max ? best : null;
}

// --- the search page -----------------------------------------------------------

const PAGE = 5;    // results shown first: each may need its own metadata group
const MORE = 10;

function el(tag, cls, text) {
	const e = document.createElement(tag);
	if (cls) e.className = cls;
	if (text !== undefined) e.textContent = text;
	return e;
}

// text with the query's terms in <mark>: folded a character at a time, so
// each folded character knows where it came from.
export function highlight(text, terms) {
	const src = Array.from(text), cps = [], from = [], hit = new Uint8Array(src.length);
	src.forEach((c, i) => Array.from(fold(c)).forEach((x) => (cps.push(x), from.push(i))));
	const on = (i, j) => { for (let k = i; k < j; k++) hit[from[k]] = 1; };
	scan(cps, (i, j) => {
		const w = cut(cps, i, j);
		if (terms.some((q) => !q.cjk && (w === q.t || (q.prefix && w.startsWith(q.t))))) on(i, j);
	}, (i, j) => {
		for (const q of terms) {
			const n = Array.from(q.t).length;
			if (q.cjk) for (let k = i; k + n <= j; k++) if (cps.slice(k, k + n).join('') === q.t) on(k, k + n);
		}
	});
	const frag = document.createDocumentFragment();
	for (let i = 0; i < src.length;) {
		let j = i;
		while (j < src.length && hit[j] === hit[i]) j++;
		const s = src.slice(i, j).join('');
		frag.append(hit[i] ? el('mark', '', s) : document.createTextNode(s));
		i = j;
	}
	return frag;
}

function page(box) {
	const $ = (s) => box.querySelector(s);
	const input = $('#search-q'), status = $('#search-status'), list = $('#search-results');
	const more = $('#search-more'), allBtn = $('#search-all'), aside = $('#search-filters');
	const str = $('#search-strings').dataset;
	const label = (kind, v) => box.querySelector(`#search-strings [data-${kind}="${CSS.escape(v)}"]`)?.textContent || v;
	const say = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k]);
	// The form of a sentence for n (layouts/README.md): its _one string for 1
	// when the language has one (the page leaves it empty when not), else _other.
	const plural = (key, n) => (n === 1 && str[key + 'One']) || str[key];
	const params = new URLSearchParams(location.search);
	// Every language by default, the page's own first (search's prefer).
	const filters = { lang: params.get('lang') || '' };
	for (const f of ['type', 'year', 'tag']) filters[f] = params.get(f) || '';
	const ix = open(httpGet(box.dataset.index));
	const dates = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: 'medium', timeZone: 'UTC' });
	let res = null, shown = 0, seq = 0, all = false, timer = 0;

	input.value = params.get('q') || '';
	// The filters stay folded on a narrow screen, above the results.
	aside.open = matchMedia('(min-width: 48rem)').matches;

	async function render(from, to) {
		const rows = res.results.slice(from, to);
		const metas = await Promise.all(rows.map((r) => ix.meta(r.doc)));
		rows.forEach((r, k) => {
			const [url, title, date, summary] = metas[k], li = el('li', 'search-hit');
			li.dataset.type = r.type;
			const h = el('h2', 'search-hit-title'), a = el('a');
			a.href = url;
			if (r.lang !== box.dataset.lang) a.lang = a.hreflang = r.lang;
			a.append(highlight(title, res.terms));
			h.append(a);
			const info = [label('type', r.type)];
			if (date) info.push(dates.format(new Date(date + 'T00:00:00Z')));
			if (r.lang !== box.dataset.lang) info.push(label('lang', r.lang));
			li.append(h, el('p', 'search-hit-meta', info.join(' · ')));
			if (summary) {
				const p = el('p', 'search-hit-snippet');
				p.append(highlight(summary, res.terms));
				li.append(p);
			}
			list.append(li);
		});
		shown = to;
		more.hidden = shown >= res.results.length;
	}

	function facet(name, values) {
		const fs = aside.querySelector(`[data-facet="${name}"]`), focused = document.activeElement;
		const refocus = focused?.name === 'f-' + name ? focused.value : null;
		fs.querySelectorAll('label').forEach((l) => l.remove());
		const add = (value, text, n) => {
			const l = el('label'), r = el('input');
			r.type = 'radio';
			r.name = 'f-' + name;
			r.value = value;
			r.checked = (filters[name] || '') === value;
			r.addEventListener('change', () => {
				filters[name] = value;
				run();
			});
			l.append(r, ` ${text} `, el('span', 'count', n === undefined ? '' : String(n)));
			fs.append(l);
			if (refocus === value) r.focus();
		};
		add('', str.any);
		values.forEach(([v, n]) => add(v, name === 'tag' ? res.tagNames[v] || v : label(name, v), n));
		fs.hidden = values.length < 2 && !filters[name];
	}

	async function run(wantAll) {
		const q = input.value, me = ++seq;
		list.dataset.pending = me; // done === pending: this search is on screen
		all = !!wantAll;
		const url = new URL(location.href);
		url.search = '';
		if (q) url.searchParams.set('q', q);
		for (const [k, v] of Object.entries(filters)) if (v) url.searchParams.set(k, v);
		history.replaceState(null, '', url);
		if (!q.trim()) {
			res = null;
			list.replaceChildren();
			status.textContent = str.hint;
			aside.hidden = more.hidden = allBtn.hidden = true;
			offerSuggestion(null);
			list.dataset.done = me;
			return;
		}
		status.textContent = str.loading;
		let r;
		try {
			r = await ix.search(q, filters, all, box.dataset.lang);
			// Filtered down to a few of only the best pages: read the whole lists.
			if (r && !r.exact && !all && r.results.length < PAGE && (filters.type || filters.year || filters.tag))
				r = await ix.search(q, filters, all = true, box.dataset.lang);
			r = r || { results: [], counts: { lang: [], type: [], year: [], tag: [] }, exact: true, terms: [] };
			r.tagNames = (await ix.manifest()).tags?.names || {};
		} catch (e) {
			if (me === seq) {
				status.textContent = str.error;
				list.dataset.done = me;
			}
			throw e;
		}
		if (me !== seq) return;
		res = r;
		list.replaceChildren();
		const n = r.results.length, vars = { n, q };
		status.textContent = !n ? say(str.none, vars)
			: (r.partial ? str.partial + ' ' : '') + say(plural(r.exact ? 'results' : 'best', n), vars);
		allBtn.hidden = r.exact || !n;
		offerSuggestion(n ? null : await ix.suggest(q).catch(() => null));
		if (me !== seq) return;
		const sorted = (name, byCount) => [...r.counts[name]].filter(([v, c]) => c && v !== '')
			.sort((a, b) => byCount ? b[1] - a[1] || (a[0] < b[0] ? -1 : 1) : (a[0] < b[0] ? 1 : -1));
		facet('lang', sorted('lang', 1));
		facet('type', sorted('type', 1));
		facet('year', sorted('year', 0));
		facet('tag', sorted('tag', 1).slice(0, 12));
		aside.hidden = false;
		await render(0, PAGE);
		if (me === seq) list.dataset.done = me;
	}

	// "Did you mean": a link to the suggested query; following it runs the
	// search in place.
	function offerSuggestion(text) {
		const box = $('#search-suggest');
		if (!box) return;
		box.replaceChildren();
		box.hidden = !text;
		if (!text) return;
		const url = new URL(location.href), parts = (str.suggest || '{q}').split('{q}');
		url.searchParams.set('q', text);
		const a = el('a', '', text);
		a.href = url.pathname + url.search;
		a.addEventListener('click', (e) => {
			e.preventDefault();
			input.value = text;
			run();
			input.focus();
		});
		box.append(parts[0], a, parts.slice(1).join(text));
	}

	input.form.addEventListener('submit', (e) => {
		e.preventDefault();
		clearTimeout(timer);
		run();
	});
	input.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(run, 150);
	});
	more.addEventListener('click', () => {
		const first = shown;
		render(shown, shown + MORE).then(() => list.children[first]?.querySelector('a')?.focus());
	});
	allBtn.addEventListener('click', () => run(true));

	// Arrow keys move between the input and the results; Escape goes back.
	input.addEventListener('keydown', (e) => {
		if (e.key === 'ArrowDown' && list.querySelector('a')) {
			e.preventDefault();
			list.querySelector('a').focus();
		}
	});
	list.addEventListener('keydown', (e) => {
		const links = [...list.querySelectorAll('.search-hit-title a')], i = links.indexOf(document.activeElement);
		if (i < 0) return;
		const to = e.key === 'ArrowDown' ? links[i + 1] : e.key === 'ArrowUp' ? links[i - 1] || input
			: e.key === 'Escape' ? input : null;
		if (to) {
			e.preventDefault();
			to.focus();
		}
	});
	run(all);
}

// "/" focuses the search box, on any page that loads this module.
function shortcut() {
	document.addEventListener('keydown', (e) => {
		const t = document.activeElement;
		if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t?.tagName) || t?.isContentEditable)
			return;
		const box = document.getElementById('search-q') || document.getElementById('site-search');
		if (box) {
			e.preventDefault();
			box.focus();
			box.select();
		}
	});
}

if (typeof document !== 'undefined') {
	shortcut();
	const box = document.getElementById('search');
	if (box) page(box);
}
