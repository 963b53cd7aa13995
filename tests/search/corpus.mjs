// corpus.mjs DIR PAGES: writes a site of PAGES generated pages into DIR for
// the byte budget of tests/e2e/search.sh: two languages (every fifth page
// translated), FAQs and cases with dates and tags, docs; titles of four words,
// summaries and bodies of a few hundred words drawn from a vocabulary with
// a Zipf-like spread (a few words on most pages, most on few), and tags.
// The same bytes every run (a fixed-seed generator).
import fs from 'node:fs';
import path from 'node:path';

const [dir, count] = [process.argv[2], Number(process.argv[3])];
if (!dir || !(count > 0)) {
	console.error('usage: node corpus.mjs DIR PAGES');
	process.exit(2);
}
let seed = 16;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const roots = ['vacuum', 'replication', 'planner', 'index', 'btree', 'wal', 'backup', 'restore', 'toast',
	'mvcc', 'lock', 'deadlock', 'partition', 'sharding', 'pool', 'bouncer', 'trigger', 'extension', 'upgrade',
	'monitor', 'logical', 'physical', 'slot', 'checkpoint', 'buffer', 'cache', 'query', 'join', 'hash', 'merge',
	'parallel', 'worker', 'json', 'text', 'search', 'trigram', 'brin', 'gin', 'gist', 'statistics', 'analyze',
	'cluster', 'failover', 'standby', 'archive', 'timeline', 'tablespace', 'schema', 'role', 'grant'];
const suffixes = ['', 's', 'ing', 'ed', 'er', 'ion', 'al', 'ly'];
const words = [];
for (const s of suffixes) for (const r of roots) words.push(r + s);
for (let i = 0; i < 1500; i++) words.push('w' + i.toString(36) + 'x');
const han = '数据库连接池复制索引备份恢复查询优化并行分区锁事务日志监控扩展升级集群';
const word = () => words[Math.floor(words.length * rand() ** 3)];
const phrase = (n) => Array.from({ length: n }, word).join(' ');
const zh = (n) => Array.from({ length: n }, () => han[Math.floor(han.length * rand() ** 2)]).join('');
const types = ['faq', 'cases', 'docs'];
const tags = Array.from({ length: 40 }, (_, i) => roots[i]);

fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'site.yaml'), 'title: Corpus\nlanguages:\n  - {code: zh, name: 中文, default: true}\n' +
	'  - {code: en, name: English}\ntaxonomies: [tags]\n');
for (let i = 0; i < count; i++) {
	const folder = types[i % 3], doc = folder === 'docs';
	const day = new Date(Date.UTC(2016, 0, 1) + Math.floor(rand() * 3000) * 86400000).toISOString().slice(0, 10);
	const t = [tags[Math.floor(tags.length * rand() ** 2)], tags[Math.floor(tags.length * rand())]];
	const page = (lang) => `---\ntitle: "${lang === 'zh' ? zh(4) + ' ' : ''}${phrase(4)}"\n` +
		(doc ? '' : `date: ${day}\ntags: [${[...new Set(t)].join(', ')}]\n`) + (folder === 'cases' ? `company: ${word()}\n` : '') +
		`summary: "${phrase(25)} ${lang === 'zh' ? zh(20) : ''}"\n---\n` +
		Array.from({ length: 4 }, () => phrase(60) + (lang === 'zh' ? ' ' + zh(40) : '')).join('\n\n') + '\n';
	fs.mkdirSync(path.join(dir, 'content', folder), { recursive: true });
	fs.writeFileSync(path.join(dir, 'content', folder, `p${i}.md`), page('zh'));
	if (i % 5 === 0)
		fs.writeFileSync(path.join(dir, 'content', folder, `p${i}.en.md`), page('en'));
}
