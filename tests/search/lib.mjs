// lib.mjs: helpers for the node tests of assets/search.js. The client is an
// ES module in a folder without package.json, so it is copied to a .mjs file
// before import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');

// The client module (assets/search.js, or another version of it: from).
export async function load(from = path.join(repo, 'assets/search.js')) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jixia-search-'));
	const file = path.join(tmp, 'search.mjs');
	fs.copyFileSync(from, file);
	try {
		return await import(file);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

// A get() for open(): the files of SITE_DIR/search/, byte ranges included.
export function diskGet(site) {
	const files = new Map();
	const get = async (name, range) => {
		if (!files.has(name)) files.set(name, new Uint8Array(fs.readFileSync(path.join(site, 'search', name))));
		const b = files.get(name);
		return range ? b.subarray(range[0], range[1]) : b;
	};
	get.ranges = async () => true;
	return get;
}
