# search.sh — the search index and client: the index files of the portal
# (names, count, determinism at any -j), the tokenizer vectors and every code
# point in C and JS alike, the client's ranking and filters (node), exact
# title relevance on the portal, a larger generated site (the file cap, tails
# read by byte range), and the search page in headless Chromium.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

# sub NAME COMMAND...: runs a node test and adds its "N passed, N failed".
sub() {
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^ok ' | grep -v 'passed, [0-9]* failed$'
	p=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' | tail -n 1)
	if [ -z "$p" ]; then
		fail "$name" "no summary (exit $rc)"
		return
	fi
	pass=$((pass + p))
	failn=$((failn + f))
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || fail "$name" "exit $rc"
	echo "ok $name ($p passed, $f failed)"
}

if ! command -v node >/dev/null 2>&1; then
	fail "search tests" "need node (apt-get install -y nodejs)"
	finish
	exit 1
fi

# --- the portal's index ------------------------------------------------------
build() { SOURCE_DATE_EPOCH=1795305600 "$JIXIA" build "$here/.." -o "$1" -j "$2" 2>"$T/err"; }
if ! build "$T/portal" 1; then
	fail "portal builds" "$(cat "$T/err")"
	finish
	exit 1
fi
ok "portal builds"
check "the manifest is written" test -s "$T/portal/search/index.json"
check "a search page per language" test -s "$T/portal/search/index.html" -a -s "$T/portal/en/search/index.html"
check "the header box goes to the page's language" contains "$T/portal/en/index.html" 'action="/en/search/"'
n=$(find "$T/portal/search" -type f ! -name index.html | wc -l)
check "at most 64 index files on a small site ($n)" test "$n" -le 64
bad=$(find "$T/portal/search" -type f ! -name index.html ! -name index.json | grep -Ev '/[tgmsx]-[0-9a-f]{16}\.bin$')
check "index files are named by content hash" test -z "$bad"
check "index files' names match their content" node -e '
	const fs = require("fs"), dir = process.argv[1];
	for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".bin"))) {
		let h = 14695981039346656037n;
		for (const b of fs.readFileSync(dir + "/" + f)) h = ((h ^ BigInt(b)) * 1099511628211n) & 0xffffffffffffffffn;
		if (!f.includes(h.toString(16).padStart(16, "0"))) process.exit(1);
	}' "$T/portal/search"
check "every file the manifest names exists" node -e '
	const fs = require("fs"), dir = process.argv[1], m = JSON.parse(fs.readFileSync(dir + "/index.json"));
	const names = [...m.shards.map((s) => s[1]), ...m.meta.files.map((f) => f[1]), m.meta.slots, ...m.tails, ...(m.tags ? [m.tags.file] : [])];
	const docs = m.runs.reduce((n, r) => n + r[3], 0);
	process.exit(names.every((n) => fs.existsSync(dir + "/" + n)) && docs === m.docs && m.docs > 100 ? 0 : 1);' "$T/portal/search"
check "the slot file points at every record, in page order, and at nothing else" node -e '
	const fs = require("fs"), dir = process.argv[1], m = JSON.parse(fs.readFileSync(dir + "/index.json"));
	const s = fs.readFileSync(dir + "/" + m.meta.slots), all = Buffer.concat(m.meta.files.map((f) => fs.readFileSync(dir + "/" + f[1])));
	let at = 0;
	for (const [off, name] of m.meta.files) if (off !== at) process.exit(1); else at += fs.statSync(dir + "/" + name).size;
	for (let d = 0; d < m.docs; d++) {
		const r = JSON.parse(all.subarray(s.readUInt32LE(4 * d), s.readUInt32LE(4 * d + 4)).toString());
		if (r.length !== 4 || typeof r[0] !== "string" || !r[0].startsWith("/")) process.exit(1);
	}
	process.exit(s.length === 4 * (m.docs + 1) && s.readUInt32LE(0) === 0 && s.readUInt32LE(4 * m.docs) === all.length ? 0 : 1);' "$T/portal/search"
build "$T/portal-j4" 4 && build "$T/portal-again" 1
check "the same index at -j 1 and -j 4" diff -r "$T/portal/search" "$T/portal-j4/search"
check "the same index from run to run" diff -r "$T/portal/search" "$T/portal-again/search"

# --- tokenizer: shared vectors and every code point, C against JS -------------
if "$B/tests/test_search" --dump >"$T/tokens.tsv"; then
	sub "tokenizer (JS) against the vectors and the C tokenizer" node "$here/search/tokenize.mjs" "$T/tokens.tsv"
else
	fail "test_search --dump"
fi

# --- the client on a fixture site, and relevance on the portal ----------------
if SOURCE_DATE_EPOCH=1700000000 "$JIXIA" build "$here/search/site" -o "$T/fixture" 2>"$T/err"; then
	ok "fixture builds"
	sub "ranking and filters (JS)" node "$here/search/rank.mjs" "$T/fixture"
else
	fail "fixture builds" "$(cat "$T/err")"
fi
sub "exact titles come first on the portal" node "$here/search/relevance.mjs" "$T/portal"

# --- a larger site: the file cap and tails ------------------------------------
big="$T/big"
mkdir -p "$big/content/faq"
printf 'title: Big\nlanguages:\n  - {code: en, name: English, default: true}\ntaxonomies: [tags]\n' >"$big/site.yaml"
i=0
while [ $i -lt 3300 ]; do
	printf -- '---\ntitle: Question %d about vacuum\ntags: [t%d]\n---\nvacuum and autovacuum %d, page %d.\n' \
		$i $((i % 7)) $((i % 13)) $i >"$big/content/faq/q$i.md"
	i=$((i + 1))
done
if "$JIXIA" build "$big" -o "$T/big-out" 2>"$T/err"; then
	n=$(find "$T/big-out/search" -type f ! -name index.html | wc -l)
	check "3300 pages: at most max(64, pages/50) = 66 index files ($n)" test "$n" -le 66
	check "3300 pages: long lists have tails" node -e '
		const m = JSON.parse(require("fs").readFileSync(process.argv[1]));
		process.exit(m.tails.length > 0 ? 0 : 1);' "$T/big-out/search/index.json"
	check "3300 pages: the client reads tails by range, and is then exact" node --input-type=module -e '
		import { load, diskGet } from "'"$here"'/search/lib.mjs";
		const { open } = await load(), dir = process.argv[1];
		const read = [], get = diskGet(dir), g = async (n, r) => (read.push([n, r]), get(n, r));
		g.ranges = get.ranges;
		const ix = open(g);
		const r = await ix.search("vacuum");
		const t = await ix.search("vacuum", { tag: "t3" });
		const ok = r.exact && r.results.length === 3300 && t.exact && t.results.length === 471 &&
			read.some(([n, range]) => n.startsWith("x-") && range) &&
			(await ix.meta(r.results[0].doc))[1].startsWith("Question");
		process.exit(ok ? 0 : 1);' "$T/big-out"
else
	fail "3300 pages build" "$(cat "$T/err")"
fi

# --- bytes per query on a generated 3,000-page site -----------------------------
# What the search page downloads (tests/search/bytes.mjs: the client and the
# manifest gzipped, index files as they are, byte ranges as read): a one-word
# query, a CJK word and a filtered one stay within 45 KB. (The format with
# compressed metadata groups fetched 60-85 KB for these.)
corpus="$T/corpus"
if node "$here/search/corpus.mjs" "$corpus" 3000 && "$JIXIA" build "$corpus" -o "$T/corpus-out" 2>"$T/err"; then
	sub "bytes per query on 3,000 pages" node "$here/search/bytes.mjs" "$T/corpus-out" --budget 45000 \
		vacuum 数据库 'backup?type=faq' 'replication?tag=vacuum&lang=en'
else
	fail "3,000-page corpus builds" "$(cat "$T/err")"
fi

# --- the search page in Chromium ----------------------------------------------
if ! command -v chromium >/dev/null 2>&1 || [ ! -d "$here/browser/node_modules/playwright-core" ]; then
	fail "search page in Chromium" "need chromium and tests/browser/node_modules (make browser-deps as root)"
else
	sub "search page in Chromium" sh -c "cd '$here/browser' && timeout 300 node search.mjs '$T/portal' '$T/fixture'"
fi
finish
