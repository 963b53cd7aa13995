# history.sh — what git history gives the site, end to end. The test builds
# its own repository: three authors (one mapped by .mailmap, one without a
# person page, one as a Co-authored-by trailer), known dates, a rename, a
# translation pinned to an old commit, one pinned to the latest, one
# without the field, one pinned to an unknown commit, and an uncommitted
# file. It checks the rendered dates, authors, edit links, points, titles,
# banners, /contributors/, /l10n/, `jixia l10n` (and --diff), --ref, and
# the edge cases: no repository, a shallow clone, --strict. A second
# repository checks the order of the missing pages, their word counts and
# a renamed original's diff; a third, bounty points and /help-wanted/.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkrepo "$site"

# as NAME EMAIL DATE MESSAGE (lib.sh): commits everything as that author.
page() { # page PATH FRONT-MATTER-LINES... (the body is one line)
	f=$site/content/$1
	shift
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; echo "Body of $f."; } >"$f"
}

cat >"$site/site.yaml" <<'Y'
title: History Test
base_url: https://example.org/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
repo: {url: https://github.com/example/portal, branch: main}
contributors:
  points: {talk: 10, doc: 5, translation: 3, commit: 1}
  titles:
    - {min: 0, name: {zh: 新人, en: Newcomer}}
    - {min: 15, name: {zh: 贡献者, en: Contributor}}
    - {min: 30, name: 布道师}
Y
cat >"$site/.mailmap" <<'Y'
Bob Li <bob@work.example.com> bobby <bob@personal.example.net>
Y
page people/alice.md 'name: Alice Wang' 'git_emails: [Alice@Example.org]'
page people/bob.md 'name: Bob Li' 'git_emails: [bob@work.example.com]'
page docs/install.md 'title: 安装'
page docs/guide.md 'title: 指南'
page talks/vacuum-draft.md 'title: VACUUM 详解' 'date: 2024-01-05' 'speakers: [alice]'
page faq/why.md 'title: 为什么？'
page faq/why.en.md 'title: Why?'
as 'Alice Wang' alice@example.org 2024-01-10T10:00:00Z 'first content'
c1=$(git -C "$site" rev-parse HEAD)

page docs/install.en.md 'title: Install' "translated_from: $c1"
as bobby bob@personal.example.net 2024-02-01T10:00:00Z 'translate install'

echo 'More.' >>"$site/content/docs/install.md"
echo 'More.' >>"$site/content/faq/why.md"
as 'Alice Wang' alice@example.org 2024-03-01T10:00:00Z 'update install and why'
c3=$(git -C "$site" rev-parse HEAD)

git -C "$site" mv content/talks/vacuum-draft.md content/talks/2024-vacuum.md
echo 'Edited while renaming.' >>"$site/content/talks/2024-vacuum.md"
page talks/2024-vacuum.en.md 'title: VACUUM in depth' 'date: 2024-01-05' 'speakers: [alice]' \
	'translated_from: deadbeef'
git -C "$site" add -A
GIT_AUTHOR_NAME=Carol GIT_AUTHOR_EMAIL=carol@example.org GIT_AUTHOR_DATE=2024-03-15T10:00:00Z \
	GIT_COMMITTER_DATE=2024-03-15T10:00:00Z git -C "$site" commit -q \
	-m 'rename the vacuum talk' -m 'Co-authored-by: Alice Wang <alice@example.org>'

echo 'Newer.' >>"$site/content/docs/guide.md"
as 'Alice Wang' alice@example.org 2024-04-01T10:00:00Z 'update guide'
c5=$(git -C "$site" rev-parse HEAD)
short5=$(echo "$c5" | cut -c1-10)

page docs/guide.en.md 'title: Guide' "translated_from: $short5  # the latest"
as bobby bob@personal.example.net 2024-04-10T10:00:00Z 'translate guide'

# Not committed: its last change is the build time.
page faq/new.md 'title: 新问题'

out=$T/out
"$JIXIA" build "$site" -o "$out" --now 2024-06-01 2>"$T/err"
check "build exits 0" test $? -eq 0
check "unknown translated_from: one warning at its line" \
	grep -q '^content/talks/2024-vacuum.en.md:5:18: warning: translated_from .deadbeef. is not a commit' "$T/err"
check "no other warning" test "$(grep -c warning "$T/err")" -eq 1
# The build drops the Markdown sources after render unless a diagnostic may quote them.
check "the warning quotes its line after the build" grep -qx '    translated_from: deadbeef' "$T/err"

# Dates, per language, and authors linked to their person pages.
p=$out/docs/install/index.html
check "updated date (zh)" contains "$p" '<time datetime="2024-03-01">2024年3月1日</time>'
check "created date (zh)" contains "$p" '<time datetime="2024-01-10">2024年1月10日</time>'
check "author linked to person page" contains "$p" '<a href="/people/alice/">Alice Wang</a> <span class="count" title="提交">2</span>'
check "edit link" contains "$p" 'href="https://github.com/example/portal/edit/main/content/docs/install.md"'
check "history link" contains "$p" 'href="https://github.com/example/portal/commits/main/content/docs/install.md"'
p=$out/en/docs/install/index.html
check "updated date (en)" contains "$p" '<time datetime="2024-02-01">Feb 1, 2024</time>'
check ".mailmap maps bobby to Bob Li's person page" contains "$p" '<a href="/people/bob/">Bob Li</a>'

# A rename keeps the history; the co-author counts.
p=$out/talks/2024-vacuum/index.html
check "rename: created at the first name's commit" contains "$p" '<time datetime="2024-01-10">'
check "rename: updated at the rename" contains "$p" '<time datetime="2024-03-15">'
check "co-author credited" contains "$p" '<a href="/people/alice/">Alice Wang</a> <span class="count" title="提交">2</span>'
check "author without a person page: name, no link" contains "$p" '<li>Carol <span class="count" title="提交">1</span></li>'

# Feeds and the sitemap say when a page last changed: its last commit.
check "sitemap lastmod: the last commit's day" grep -q "/talks/2024-vacuum/</loc><lastmod>2024-03-15</lastmod>" "$out/sitemap.xml"
check "Atom: published is the date, updated the last commit" sh -c "grep -A12 \"<title>VACUUM 详解</title>\" \"$out/talks/atom.xml\" | tr -d \"\\\\n\" | grep -q \"<published>2024-01-05T00:00:00[^<]*</published><updated>2024-03-15T1[0-8]:00:00[^<]*</updated>\""

# Uncommitted file: updated is when it was edited (its modification time),
# the build time when that is later (here: the file was written today).
check "uncommitted file: updated = --now" contains "$out/faq/new/index.html" '<time datetime="2024-06-01">2024年6月1日</time>'
# Edited before the build time: the edit's day, the same in a later build.
cp -a "$site" "$T/mtime"
touch -d 2024-05-20T12:00:00Z "$T/mtime/content/faq/new.md"
"$JIXIA" build "$T/mtime" -o "$T/edited" --now 2024-06-01 2>/dev/null
"$JIXIA" build "$T/mtime" -o "$T/edited-later" --now 2024-07-01 2>/dev/null
check "uncommitted file edited earlier: updated = its modification time" \
	contains "$T/edited/faq/new/index.html" '<time datetime="2024-05-20">2024年5月20日</time>'
check "uncommitted file: a later build gives the same page" \
	cmp -s "$T/edited/faq/new/index.html" "$T/edited-later/faq/new/index.html"

# Banners: pinned to an old commit, and without the field.
p=$out/en/docs/install/index.html
check "banner on the translation pinned to an old commit" contains "$p" 'This translation may be out of date'
check "banner says how many commits and when" contains "$p" \
	'The original has changed in 1 commit since this translation was made, most recently on <time datetime="2024-03-01">Mar 1, 2024</time>.'
check "banner links to the original" contains "$p" '<a href="/docs/install/" hreflang="zh">Read the original</a>'
# GitHub names a file's diff in a compare view by the SHA-256 of its path.
anchor=$(printf %s content/docs/install.md | sha256sum | cut -c1-64)
check "banner links to the original's diff alone" contains "$p" \
	"https://github.com/example/portal/compare/$c1...$c3#diff-$anchor\""
check "no banner on the translation pinned to the latest" sh -c "! grep -q outdated-banner '$out/en/docs/guide/index.html'"
check "no banner on originals" sh -c "! grep -q outdated-banner '$out/docs/install/index.html'"
check "banner without translated_from (original changed after)" contains "$out/en/faq/why/index.html" 'outdated-banner'
check "unknown pin falls back to the last commit: not outdated" \
	sh -c "! grep -q outdated-banner '$out/en/talks/2024-vacuum/index.html'"

# The leaderboard. Alice: 4 commits + created 2 docs, a talk, a FAQ, a
# translation (26) + a co-authored translation (3) = 33; Bob 2 + 2x3 = 8;
# Carol 1 + 3 = 4.
p=$out/contributors/index.html
check "/contributors/ written" test -f "$p"
check "Alice: rank 1, 33 points, top title" contains "$p" '<tr><td>1</td><th scope="row"><a href="/people/alice/">Alice Wang</a></th><td>布道师</td><td class="num">33</td><td class="num">4</td><td class="num">6</td><td class="num">2</td></tr>'
check "Bob: rank 2, 8 points" contains "$p" '<tr><td>2</td><th scope="row"><a href="/people/bob/">Bob Li</a></th><td>新人</td><td class="num">8</td>'
check "Carol: rank 3, 4 points, no link" contains "$p" '<tr><td>3</td><th scope="row">Carol</th><td>新人</td><td class="num">4</td>'
check "points table from site.yaml" contains "$p" '<tr><th scope="row">翻译（每篇）</th><td class="num">3</td></tr>'
check "titles per language" contains "$out/en/contributors/index.html" '<td>Newcomer</td>'
check "person page: points and title" contains "$out/people/alice/index.html" '<span class="badge">布道师</span> <span>33 积分</span>'
check "footer links the leaderboard" contains "$out/index.html" '<a href="/contributors/">贡献者</a>'

# /l10n/: 7 originals, 4 translated (2 outdated), 3 missing.
p=$out/l10n/index.html
check "/l10n/ coverage" contains "$p" '<span class="l10n-coverage">57%</span>'
check "/l10n/ counts" contains "$p" '4 / 7 已翻译 · 2 已过时 · 3 缺失'
check "/l10n/ lists the outdated" contains "$p" '<a href="/en/docs/install/" hreflang="en" lang="en">Install</a>'
check "/l10n/ lists the missing" contains "$p" '<a href="/faq/new/" hreflang="zh" lang="zh">新问题</a>'
check "/l10n/: the file to create and the words" contains "$p" \
	'<span class="link-note">问答 · 11 字 · 首页展示</span> <code class="l10n-file">content/faq/new.en.md</code>'
# A count of 1 takes the singular where the language has one (English), the one form where it has not.
check "/l10n/: 1 commit behind (zh, one form)" contains "$p" '<span class="link-note">1 次修改未同步 · '
check "/en/l10n/: 1 commit behind, singular" contains "$out/en/l10n/index.html" '<span class="link-note">1 commit behind · '
check "/en/l10n/: 11 words" contains "$out/en/l10n/index.html" '<span class="link-note">FAQ · 11 words · On the home page</span>'
check "/en/contributors/: from 15 points" contains "$out/en/contributors/index.html" '<span class="link-note">from 15 points</span>'
check "/contributors/: 15 积分起 (zh word order)" contains "$out/contributors/index.html" '<span class="link-note">15 积分起</span>'
check "person page: contributions as sentences" contains "$out/people/alice/index.html" \
	'<span>33 积分</span> <span>排名 1</span> <span>4 次提交</span> <span>新增 6 个页面</span> <span>翻译 2 篇</span>'

# jixia l10n: the same, as text and JSON.
"$JIXIA" l10n "$site" >"$T/l10n.txt" 2>"$T/l10n.err"
check "l10n exits 0" test $? -eq 0
check "l10n summary" grep -qx 'en: 4 of 7 translated (57%), 2 outdated, 3 missing' "$T/l10n.txt"
check "l10n outdated (pinned)" grep -q "^en outdated content/docs/install.en.md: content/docs/install.md changed in 1 commit since $(echo "$c1" | cut -c1-10) (last 2024-03-01) https://github.com/example/portal/compare/$c1...$c3#diff-$anchor\$" "$T/l10n.txt"
check "l10n outdated (no pin)" grep -q '^en outdated content/faq/why.en.md: content/faq/why.md changed in 1 commit' "$T/l10n.txt"
check "l10n missing: the file to create, the original, its words, why first" \
	grep -qx 'en missing content/faq/new.en.md (original content/faq/new.md, 11 words, on the home page)' "$T/l10n.txt"
check "l10n missing: the people next (their list's first page)" \
	grep -qx 'en missing content/people/alice.en.md (original content/people/alice.md, 11 words, on the first page of its list)' "$T/l10n.txt"
check "l10n: 6 lines" test "$(wc -l <"$T/l10n.txt")" -eq 6
"$JIXIA" l10n "$site" --lang en --format json >"$T/l10n.json" 2>/dev/null
check "l10n json parses" python3 -c "import json,sys; d=json.load(open('$T/l10n.json')); l=d['languages'][0]; sys.exit(not (l['coverage']==57 and l['outdated']==2 and l['missing_pages'][0]['path']=='content/faq/new.md' and l['missing_pages'][0]['create']=='content/faq/new.en.md' and l['missing_pages'][0]['words']==11 and l['missing_pages'][0]['reach']=='home' and l['outdated_pages'][0]['base']=='$c1'))"
"$JIXIA" l10n "$site" --lang zh >/dev/null 2>&1
check "l10n --lang of the default language: usage error" test $? -eq 2
"$JIXIA" l10n "$site" --lang EN >/dev/null 2>"$T/err"
check "l10n --lang: did you mean" grep -qxF "jixia: error: --lang 'EN' is not a language of site.yaml; did you mean 'en'?" "$T/err"
"$JIXIA" l10n "$site" --format xml >/dev/null 2>&1
check "l10n --format xml: usage error" test $? -eq 2
# Caps site.yaml lowers count for jixia l10n as for check: errors, the report still printed.
cp -R "$site" "$T/capped"
printf 'limits: {markdown_bytes: 1024}\n' >>"$T/capped/site.yaml"
yes 'A line of the body, past the cap.' | head -n 50 >>"$T/capped/content/faq/new.md"
"$JIXIA" l10n "$T/capped" >"$T/capped.txt" 2>"$T/capped.err"
check "l10n over a lowered cap exits 1" test $? -eq 1
check "l10n over a lowered cap names the file" grep -q '^content/faq/new.md: error: file is 2 KiB, over the 1 KiB limit set in site.yaml$' "$T/capped.err"
check "l10n over a lowered cap still reports" grep -q '^en: 4 of 7 translated' "$T/capped.txt"

# The other hosts' compare views, each at the file's diff: GitLab names it
# by the SHA-1 of the path, Gitea (Codeberg, Forgejo) by "diff-" and it.
sha1=$(printf %s content/docs/install.md | sha1sum | cut -c1-40)
cp "$site/site.yaml" "$T/site.yaml"
sed -i 's|^repo: .*|repo: {url: https://gitlab.com/example/portal, branch: main}|' "$site/site.yaml"
"$JIXIA" l10n "$site" >"$T/gitlab.txt" 2>/dev/null
check "GitLab: the compare view at the file's diff" \
	grep -q "^en outdated content/docs/install.en.md: .* https://gitlab.com/example/portal/-/compare/$c1...$c3#$sha1\$" "$T/gitlab.txt"
sed -i 's|^repo: .*|repo: {url: https://codeberg.org/example/portal, branch: main}|' "$site/site.yaml"
"$JIXIA" l10n "$site" >"$T/gitea.txt" 2>/dev/null
check "Gitea: the compare view at the file's diff" \
	grep -q "^en outdated content/docs/install.en.md: .* https://codeberg.org/example/portal/compare/$c1...$c3#diff-$sha1\$" "$T/gitea.txt"
cp "$T/site.yaml" "$site/site.yaml"

# jixia l10n --diff: the original's diff since the version the translation
# follows, from the object database, as git itself shows it.
"$JIXIA" l10n "$site" --diff content/docs/install.en.md >"$T/diff.txt" 2>"$T/diff.err"
check "--diff exits 0" test $? -eq 0
git -C "$site" diff "$c1" "$c3" -- content/docs/install.md >"$T/git-diff.txt"
check "--diff: the file's diff from the pinned commit to its last change" diff "$T/git-diff.txt" "$T/diff.txt"
check "--diff: only the original" test "$(grep -c '^diff --git' "$T/diff.txt")" -eq 1
"$JIXIA" l10n "$site" --diff ./content/faq/why.en.md >"$T/diff2.txt" 2>/dev/null
check "--diff without a pin: since the translation's last commit" grep -qx '+More.' "$T/diff2.txt"
"$JIXIA" l10n "$site" --diff content/docs/guide.en.md >"$T/diff3.txt" 2>"$T/diff.err"
check "--diff of an up-to-date translation is refused (2)" test $? -eq 2
check "--diff refusal says why" grep -qx "jixia: error: content/docs/guide.en.md is not outdated: its original has not changed since the version it follows" "$T/diff.err"
check "--diff refusal prints no diff" test ! -s "$T/diff3.txt"
"$JIXIA" l10n "$site" --diff content/docs/install.md >/dev/null 2>"$T/diff.err"
check "--diff of an original is refused (2)" test $? -eq 2
check "--diff of an original: says so" grep -q "jixia: error: content/docs/install.md is in the default language (zh): an original, not a translation" "$T/diff.err"
"$JIXIA" l10n "$site" --diff content/nope.en.md >/dev/null 2>"$T/diff.err"
check "--diff of no page is refused (2)" test $? -eq 2
check "--diff of no page: says so" grep -q "jixia: error: 'content/nope.en.md' is not a page of the site" "$T/diff.err"
"$JIXIA" l10n "$site" --diff content/docs/install.en.md --format json >/dev/null 2>&1
check "--diff with --format json: usage error" test $? -eq 2

# --ref walks from that commit: the world as it was at c3.
"$JIXIA" build "$site" --ref "$c3" -o "$T/old" 2>"$T/err"
check "--ref build exits 0" test $? -eq 0
check "--ref: dates as of that commit" contains "$T/old/docs/guide/index.html" '<time datetime="2024-01-10">'
check "--ref: banner as of that commit" contains "$T/old/en/docs/install/index.html" 'outdated-banner'
check "--ref: the later translation does not exist" test ! -e "$T/old/en/docs/guide/index.html"

# Deterministic: the same input builds the same bytes.
"$JIXIA" build "$site" -o "$T/again" --now 2024-06-01 -j 1 2>/dev/null
rm -f "$out/.jixia-output" "$T/again/.jixia-output"
check "same output at -j 1" diff -r "$out" "$T/again"

# At -j2 the walk runs on its own thread beside the parse workers; at -j1 in turn. The same bytes.
"$JIXIA" build "$site" -o "$T/beside" --now 2024-06-01 -j 2 -v 2>"$T/err"
rm -f "$T/beside/.jixia-output"
check "-j2: the walk ran beside parsing (-v)" grep -Eq '^jixia: history +[0-9.]+ ms  [0-9]+ commits, [0-9]+ files followed( \(the walk kept from the last run\))?, [0-9]+ files hashed, beside parse$' "$T/err"
check "-j2: history then parse, in order" sh -c "grep -o '^jixia: [a-z]*' '$T/err' | tr '\n' ' ' | grep -q 'collect jixia: history jixia: parse jixia: model'"
check "-j2 beside: same output as -j 1" diff -r "$T/again" "$T/beside"
"$JIXIA" build "$site" -o "$T/inturn" --now 2024-06-01 -j 1 -v 2>"$T/err"
check "-j1: the walk in turn" sh -c "grep '^jixia: history' '$T/err' | grep -vq beside"

# The committed files git's index vouches for (their stat data is the
# index's, as git status trusts it) are known by the index's ids, not
# hashed; the others are hashed. A copy has other inodes: its index is
# refreshed, as git status would, and written after every file's time (a
# file as new as the index is racily clean: hashed). A file changed in the
# 50 ms before a build starts is hashed whatever the index says (source.c).
hhashed() { sed -n 's/^jixia: history .*, \([0-9][0-9]*\) files hashed.*/\1/p' "$T/err"; }
cp -a "$site" "$T/stat"
git -C "$T/stat" update-index -q --refresh
sleep 0.1
"$JIXIA" build "$T/stat" -o "$T/stat-out" --now 2024-06-01 -j 1 -v 2>"$T/err"
rm -f "$T/stat-out/.jixia-output"
check "git's index: no committed file hashed (-v)" test "$(hhashed)" = 0
check "  the same output" diff -r "$T/again" "$T/stat-out"
# Written again in place, the same length, its modification time put back:
# its change time moved, so it is hashed, and found changed.
f=$T/stat/content/docs/install.md
m=$(stat -c %y "$f")
python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); open(sys.argv[1], "r+b").write(b.replace(b"More.", b"Mere."))' "$f"
touch -d "$m" "$f"
sleep 0.1
"$JIXIA" build "$T/stat" -o "$T/stat-out2" --now 2024-06-01 -v 2>"$T/err"
check "a committed file rewritten, same length and time: hashed" test "$(hhashed)" = 1
check "  and changed: updated = --now, not its last commit" \
	contains "$T/stat-out2/docs/install/index.html" '<time datetime="2024-06-01">2024年6月1日</time>'
check "  its new text" contains "$T/stat-out2/docs/install/index.html" 'Mere.'
# Staged, not committed: the index's id is not HEAD's, so the page changed.
# Removed from the index and added again, so git hashes it whatever the
# stat data: a git built without nanosecond times (Debian's) compares
# seconds, and would take the rewrite above, in the same second as the
# refresh, for the file it knew, leaving HEAD's id in its index.
git -C "$T/stat" rm -q --cached content/docs/install.md
git -C "$T/stat" add content/docs/install.md
sleep 0.1
"$JIXIA" build "$T/stat" -o "$T/stat-out3" --now 2024-06-01 -v 2>"$T/err"
check "staged, not committed: known from the index, not hashed" test "$(hhashed)" = 0
check "  still changed" cmp -s "$T/stat-out2/docs/install/index.html" "$T/stat-out3/docs/install/index.html"
# Racily clean: the index written no later than its files' times; git
# hashes such files again, and so does the build.
touch -d 2001-01-01 "$T/stat/.git/index"
"$JIXIA" build "$T/stat" -o "$T/stat-out4" --now 2024-06-01 -v 2>"$T/err"
check "racily clean (the index older than its files): every committed file hashed" \
	test "$(hhashed)" = "$(git -C "$T/stat" ls-files 'content/*.md' | wc -l)"
check "  the same page" cmp -s "$T/stat-out2/docs/install/index.html" "$T/stat-out4/docs/install/index.html"

# Not a git repository: one warning, no /contributors/, dates left out.
mkdir "$T/plain" && cp -R "$site/site.yaml" "$site/content" "$T/plain/"
"$JIXIA" build "$T/plain" -o "$T/plain-out" --strict 2>"$T/err"
check "no repository: builds, even with --strict" test $? -eq 0
check "no repository: one warning" test "$(grep -c 'warning: .*not in a git repository' "$T/err")" -eq 1
check "no repository: no /contributors/" test ! -e "$T/plain-out/contributors"
check "no repository: /l10n/ still lists missing pages" contains "$T/plain-out/l10n/index.html" '<a href="/faq/new/" hreflang="zh" lang="zh">新问题</a>'
check "no repository: edit link still there" contains "$T/plain-out/docs/install/index.html" '/edit/main/content/docs/install.md'
"$JIXIA" l10n "$T/plain" --diff content/docs/install.en.md >/dev/null 2>"$T/err"
check "no repository: --diff is refused (2)" test $? -eq 2
check "no repository: --diff says why" grep -q 'error: content/docs/install.en.md is not outdated: without git history nothing is known to be' "$T/err"

# A shallow clone: one warning that the data is approximate, never a failure.
as 'Alice Wang' alice@example.org 2024-05-01T10:00:00Z 'new faq'
git clone -q --depth 1 "file://$site" "$T/shallow" 2>/dev/null
"$JIXIA" build "$T/shallow" -o "$T/shallow-out" --strict 2>"$T/err"
check "shallow clone: builds, even with --strict" test $? -eq 0
check "shallow clone: one warning" test "$(grep -c 'warning: shallow clone' "$T/err")" -eq 1
check "shallow clone: dates are the boundary's" contains "$T/shallow-out/docs/install/index.html" '<time datetime="2024-05-01">'
check "shallow clone: the boundary is credited to no one" contains "$T/shallow-out/contributors/index.html" '<p class="empty">'

# The banner's sentence is one UI string: its plural form by the count,
# its placeholders wherever the language puts them, its text escaped.
echo 'Even more.' >>"$site/content/docs/install.md"
as 'Alice Wang' alice@example.org 2024-05-10T10:00:00Z 'update install again'
"$JIXIA" build "$site" -o "$T/two" --now 2024-06-01 2>/dev/null
check "banner: two commits take the other plural form" contains "$T/two/en/docs/install/index.html" \
	'<p>The original has changed in 2 commits since this translation was made, most recently on <time datetime="2024-05-10">May 10, 2024</time>.</p>'
check "/en/l10n/: 2 commits behind" contains "$T/two/en/l10n/index.html" '<span class="link-note">2 commits behind · '
mkdir -p "$site/layouts/i18n"
sed 's/^outdated_text_other: .*/outdated_text_other: "On {date}, <the original> changed ({count}×) {nope}"/' \
	"$here/../layouts/i18n/en.yaml" >"$site/layouts/i18n/en.yaml"
"$JIXIA" build "$site" -o "$T/order" --now 2024-06-01 2>/dev/null
check "banner: placeholders in the string's order, its text escaped" contains "$T/order/en/docs/install/index.html" \
	'<p>On <time datetime="2024-05-10">May 10, 2024</time>, &lt;the original&gt; changed (2×) {nope}</p>'
rm -r "$site/layouts"

# site.yaml contributors: mistakes are errors at their line.
sed -i 's/commit: 1}/commits: 1}/' "$site/site.yaml"
"$JIXIA" check "$site" 2>"$T/err"
check "unknown points key is an error" test $? -eq 1
check "error at its line" grep -q "^site.yaml:8:[0-9]*: error: unknown key 'commits' in 'contributors.points'" "$T/err"

# --- The missing pages in the order readers meet them, with their words ----
# A site in English with a Chinese translation to make: upcoming events
# first (soonest first), then what the home page shows, then the first page
# of each list (paginate: 2), then the rest by their last commit.
o=$T/order
mkrepo "$o"
cat >"$o/site.yaml" <<'Y'
title: Order
base_url: https://example.org/
paginate: 2
languages:
  - {code: en, name: English, default: true}
  - {code: zh, name: 中文}
repo: {url: https://gitlab.com/example/portal, branch: main}
Y
opage() { # opage PATH BODY FRONT-MATTER-LINES...
	f=$o/content/$1
	b=$2
	shift 2
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; printf '%s\n' "$b"; } >"$f"
}
ocommit() { # ocommit DATE MESSAGE
	git -C "$o" add -A
	GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git -C "$o" commit -q -m "$2"
}
opage people/ann.md 'Ann writes docs.' 'name: Ann'
opage people/ben.md 'Ben.' 'name: Ben'
# CJK characters count a word each, other words once, code blocks not at all: 8 words.
opage talks/t1.md "$(printf 'PostgreSQL 的 VACUUM 会回收空间。\n\n```\nnot counted at all\n```')" \
	'title: T1' 'date: 2024-03-01' 'speakers: [ann]'
opage talks/t2.md 'Two words.' 'title: T2' 'date: 2024-02-01' 'speakers: [ann]'
opage talks/t3.md 'Three short words.' 'title: T3' 'date: 2024-01-01' 'speakers: [ben]'
opage events/later.md 'Later.' 'title: Later' 'date: 2030-05-01' 'kind: meetup'
opage events/sooner.md 'Sooner.' 'title: Sooner' 'date: 2030-01-10' 'kind: meetup'
opage events/past1.md 'Past.' 'title: Past 1' 'date: 2020-02-01' 'kind: meetup'
opage events/past2.md 'Past.' 'title: Past 2' 'date: 2020-01-01' 'kind: meetup'
opage events/past3.md 'Past.' 'title: Past 3' 'date: 2019-01-01' 'kind: meetup'
opage about.md 'Hello.' 'title: About'
opage docs/old-name.md "$(printf 'Line one of the guide.\nLine two of the guide.\nLine three of the guide.\nLine four of the guide.')" \
	'title: Guide'
ocommit 2024-01-10T10:00:00Z 'first content'
oc1=$(git -C "$o" rev-parse HEAD)
opage docs/old-name.zh.md '指南。' 'title: 指南' "translated_from: $oc1"
ocommit 2024-01-20T10:00:00Z 'translate the guide'
echo 'More.' >>"$o/content/events/past3.md"
ocommit 2024-02-01T10:00:00Z 'past3'
echo 'More.' >>"$o/content/talks/t3.md"
ocommit 2024-03-01T10:00:00Z 't3'
echo 'More words.' >>"$o/content/about.md"
ocommit 2024-04-01T10:00:00Z 'about'
# The original is renamed (and edited, with terminal escapes) after the version followed.
git -C "$o" mv content/docs/old-name.md content/docs/new-name.md
git -C "$o" mv content/docs/old-name.zh.md content/docs/new-name.zh.md
printf 'Run \033]0;owned\007 and \033[31mred\033[0m.\n' >>"$o/content/docs/new-name.md"
ocommit 2024-05-01T10:00:00Z 'rename the guide'
oc3=$(git -C "$o" rev-parse HEAD)

"$JIXIA" l10n "$o" --now 2025-01-01 >"$T/order.txt" 2>"$T/order.err"
check "order: l10n exits 0" test $? -eq 0
cat >"$T/order.want" <<W
zh: 1 of 12 translated (8%), 1 outdated, 11 missing
zh outdated content/docs/new-name.zh.md: content/docs/new-name.md changed in 1 commit since $(echo "$oc1" | cut -c1-10) (last 2024-05-01) https://gitlab.com/example/portal/-/compare/$oc1...$oc3#$(printf %s content/docs/new-name.md | sha1sum | cut -c1-40)
zh missing content/events/sooner.zh.md (original content/events/sooner.md, 1 word, upcoming event)
zh missing content/events/later.zh.md (original content/events/later.md, 1 word, upcoming event)
zh missing content/talks/t1.zh.md (original content/talks/t1.md, 8 words, on the home page)
zh missing content/talks/t2.zh.md (original content/talks/t2.md, 2 words, on the home page)
zh missing content/events/past1.zh.md (original content/events/past1.md, 1 word, on the first page of its list)
zh missing content/events/past2.zh.md (original content/events/past2.md, 1 word, on the first page of its list)
zh missing content/people/ann.zh.md (original content/people/ann.md, 3 words, on the first page of its list)
zh missing content/people/ben.zh.md (original content/people/ben.md, 1 word, on the first page of its list)
zh missing content/about.zh.md (original content/about.md, 3 words)
zh missing content/talks/t3.zh.md (original content/talks/t3.md, 4 words)
zh missing content/events/past3.zh.md (original content/events/past3.md, 2 words)
W
check "order: upcoming, home, lists' first pages, then the most recently changed; words" diff "$T/order.want" "$T/order.txt"
"$JIXIA" l10n "$o" --now 2025-01-01 --format json >"$T/order.json" 2>/dev/null
check "order: JSON has the file to create, the words and the reach" python3 -c "import json,sys; m=json.load(open('$T/order.json'))['languages'][0]['missing_pages']; sys.exit(not ([x['reach'] for x in m]==['upcoming']*2+['home']*2+['nav']*4+['other']*3 and m[2]['create']=='content/talks/t1.zh.md' and m[2]['words']==8))"
"$JIXIA" build "$o" -o "$T/order-out" --now 2025-01-01 2>"$T/order.err"
check "order: builds" test $? -eq 0
check "order: no warning for the plural forms Chinese leaves out" sh -c "! grep -q 'UI string' '$T/order.err'"
sed -n '/尚未翻译\|Not yet translated/,/<\/ol>/p' "$T/order-out/l10n/index.html" | grep -o 'href="[^"]*"' | tr '\n' ' ' >"$T/order.hrefs"
check "order: the /l10n/ page lists them in that order" test "$(cat "$T/order.hrefs")" = \
	'href="/events/sooner/" href="/events/later/" href="/talks/t1/" href="/talks/t2/" href="/events/past1/" href="/events/past2/" href="/people/ann/" href="/people/ben/" href="/about/" href="/talks/t3/" href="/events/past3/" '
check "order: /l10n/ says the words, why and the file" contains "$T/order-out/l10n/index.html" \
	'<span class="link-note">Talks · 8 words · On the home page</span> <code class="l10n-file">content/talks/t1.zh.md</code>'
check "order: 1 word, singular" contains "$T/order-out/l10n/index.html" '<span class="link-note">Events · 1 word · Upcoming event</span>'
check "order: Chinese has one form: 1 字, never the default language's singular" contains "$T/order-out/zh/l10n/index.html" \
	'<span class="link-note">活动 · 1 字 · 即将举行的活动</span>'

# translations: {layout: dir}: the translation goes into the language's folder.
d=$T/dirl
mkdir -p "$d/content/en/faq"
printf 'title: D\nbase_url: https://example.org/\nlanguages:\n  - {code: en, name: English, default: true}\n  - {code: zh, name: 中文}\ntranslations: {layout: dir}\n' >"$d/site.yaml"
printf -- '---\ntitle: Q\n---\nOne two.\n' >"$d/content/en/faq/q.md"
"$JIXIA" l10n "$d" >"$T/dirl.txt" 2>/dev/null
check "dir layout: the file to create is in the language's folder" \
	grep -qx 'zh missing content/zh/faq/q.md (original content/en/faq/q.md, 2 words, on the home page)' "$T/dirl.txt"

# --diff of a renamed original: from its old path, every control character escaped.
"$JIXIA" l10n "$o" --diff content/docs/new-name.zh.md >"$T/odiff.txt" 2>"$T/odiff.err"
check "--diff of a renamed original exits 0" test $? -eq 0
check "--diff: from the old name to the new" grep -qx 'diff --git a/content/docs/old-name.md b/content/docs/new-name.md' "$T/odiff.txt"
check "--diff: the version followed is the old file's" grep -qx ' Line four of the guide.' "$T/odiff.txt"
check "--diff: escape sequences shown, not played" grep -qxF '+Run \x1b]0;owned\x07 and \x1b[31mred\x1b[0m.' "$T/odiff.txt"
check "--diff: no control character reaches the terminal" sh -c "! LC_ALL=C grep -q '[[:cntrl:]]' '$T/odiff.txt'"


# Bounties (role bounty): whoever makes an urgent question answered gets its
# points, from the commit after which it stayed answered (a body, status not
# open), or its answered_by people; /help-wanted/ lists what is still open.
b=$T/bounty
mkrepo "$b"
bpage() { # bpage PATH BODY FRONT-MATTER-LINES...
	f=$b/content/$1
	body=$2
	shift 2
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; [ -z "$body" ] || printf '%s\n' "$body"; } >"$f"
}
bcommit() { # bcommit NAME EMAIL DATE MESSAGE
	git -C "$b" add -A
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 GIT_COMMITTER_DATE=$3 \
		git -C "$b" commit -q -m "$4"
}
printf 'title: B\nbase_url: https://example.org/\nlanguages:\n  - {code: zh, name: 中文, default: true}\n  - {code: en, name: English}\nrepo: {url: https://github.com/example/portal, branch: main}\ncontributors:\n  points: {faq: 3, translation: 3, commit: 1}\n' >"$b/site.yaml"
bpage people/asker.md 'Asks.' 'name: Asker' 'git_emails: [asker@example.org]'
bpage people/answerer.md 'Answers.' 'name: Answerer' 'git_emails: [answerer@example.org]'
bpage people/helper.md 'Helps.' 'name: Helper' 'git_emails: [helper@example.org]'
bpage people/answerer.en.md 'Answers.' 'name: Answerer'
bpage faq/q1.md '' 'title: Q1' 'date: 2025-01-01' 'status: open' 'bounty: 40'
bpage faq/q2.md '' 'title: Q2' 'date: 2025-01-01' 'bounty: 25'
bpage faq/q3.md '' 'title: Q3' 'date: 2025-01-01' 'bounty: 15'
bpage faq/still-open.md 'A draft.' 'title: Still open' 'date: 2025-01-02' 'status: "open"' 'bounty: 7'
bpage faq/why.md 'Because.' 'title: 为什么'
bpage faq/why.en.md 'Because.' 'title: Why'
bcommit Asker asker@example.org 2025-01-01T10:00:00Z 'questions'
bpage faq/q1.md 'A first answer.' 'title: Q1' 'date: 2025-01-01' 'status: open' 'bounty: 40'
bcommit Answerer answerer@example.org 2025-02-01T10:00:00Z 'q1: a body, still open'
bpage faq/q1.md 'A first answer.' 'title: Q1' 'date: 2025-01-01' 'status: answered' 'bounty: 40'
bcommit Answerer answerer@example.org 2025-03-01T10:00:00Z 'q1: answered'
bpage faq/q1.md 'A first answer, typo fixed.' 'title: Q1' 'date: 2025-01-01' 'status: answered' 'bounty: 40'
bpage faq/q2.md 'The answer to Q2.' 'title: Q2' 'date: 2025-01-01' 'bounty: 25'
bcommit Dan dan@example.org 2025-04-01T10:00:00Z 'q1 typo; q2 answered'
bpage faq/q3.md 'Helper knew.' 'title: Q3' 'date: 2025-01-01' 'bounty: 15' 'answered_by: [helper]'
echo 'More.' >>"$b/content/faq/why.md"
bcommit Asker asker@example.org 2025-05-01T10:00:00Z 'q3 answered for helper; why changed'
"$JIXIA" build "$b" -o "$T/bounty-out" --now 2025-06-01 2>"$T/bounty.err"
check "bounty: builds" test $? -eq 0
check "bounty: status and bounty are faq fields" sh -c "! grep -q 'unknown field' '$T/bounty.err'"
p=$T/bounty-out/people/answerer/index.html
check "bounty: the commit that answered gets it, not the one that only added a body (2 commits + 40)" contains "$p" '<span>42 积分</span>'
check "bounty: the person page breaks the bounty out" contains "$p" '<span class="help-urgent-points">加急问题 40 积分</span>'
check "bounty: and lists the question" contains "$p" '<li><a href="/faq/q1/">Q1</a> <span class="badge help-urgent">加急 +40</span></li>'
check "bounty: a later typo fix earns no bounty; no body, no bounty" sh -c "! grep -q 'help-urgent-points' '$T/bounty-out/people/asker/index.html'"
check "bounty: answered_by names who answered (15 points, no commit)" contains "$T/bounty-out/people/helper/index.html" '<span>15 积分</span>'
check "bounty: an author without a person page (1 commit + 25)" contains "$T/bounty-out/contributors/index.html" '<th scope="row">Dan</th><td></td><td class="num">26</td>'
check "bounty: English person page, singular and plural" contains "$T/bounty-out/en/people/answerer/index.html" '40 points from urgent questions'
h=$T/bounty-out/help-wanted/index.html
check "help-wanted: the open question with its bounty and edit link" contains "$h" '<a class="help-title" href="/faq/still-open/">Still open</a>
<span class="help-meta"><span class="badge help-urgent">加急 +7</span><span class="help-points">积分 +1</span>'
sed -n '/id="help-questions"/,/id="help-translations"/p' "$h" >"$T/bounty.questions"
check "help-wanted: answered questions are not listed" sh -c "! grep -q 'href=\"/faq/q[123]/\"' '$T/bounty.questions'"
check "help-wanted: the outdated translation with its diff command" contains "$h" '<code class="help-command">jixia l10n --lang en --diff content/faq/why.en.md</code> <a href="https://github.com/example/portal/edit/main/content/faq/why.en.md">'
check "help-wanted: the missing translation with its command and points" contains "$h" '<span class="help-points">积分 +3</span></span>
<span class="help-how"><code class="help-command">jixia new --translate content/faq/still-open.md --lang en</code>'

# Translations whose original is gone (the original deleted, or moved twice
# by git mv): listed by jixia l10n and /l10n/ with the reason, and where a
# moved original went and its translation should go.
r=$T/orphans
mkrepo "$r"
mkdir -p "$r/content/en/docs" "$r/content/zh-cn/docs"
printf 'title: O\nbase_url: https://example.org/\nlanguages:\n  - {code: en, name: English, default: true}\n  - {code: zh-cn, name: 简体中文}\ntranslations: {layout: dir}\n' >"$r/site.yaml"
printf -- '---\ntitle: Old\n---\nOne.\n' >"$r/content/en/docs/old.md"
printf -- '---\ntitle: 旧\n---\n一。\n' >"$r/content/zh-cn/docs/old.md"
printf -- '---\ntitle: Gone\n---\nOne.\n' >"$r/content/en/docs/gone.md"
printf -- '---\ntitle: 无\n---\n一。\n' >"$r/content/zh-cn/docs/gone.md"
commit "$r" one 2024-01-01T00:00:00Z
git -C "$r" mv content/en/docs/old.md content/en/docs/middle.md && commit "$r" two 2024-02-01T00:00:00Z
git -C "$r" mv content/en/docs/middle.md content/en/docs/new.md && git -C "$r" rm -q content/en/docs/gone.md && commit "$r" three 2024-03-01T00:00:00Z
"$JIXIA" l10n "$r" >"$T/orphans.txt" 2>"$T/orphans.err"
check "orphans: l10n exits 0" test $? -eq 0
check "orphans: counted" grep -qx 'zh-cn: 2 without an original' "$T/orphans.txt"
check "orphans: a moved original, where it went and where the translation goes" grep -qx \
	'zh-cn orphan content/zh-cn/docs/old.md: its original content/en/docs/old.md was moved to content/en/docs/new.md; move it to content/zh-cn/docs/new.md' "$T/orphans.txt"
check "orphans: a deleted original" grep -qx 'zh-cn orphan content/zh-cn/docs/gone.md: its original content/en/docs/gone.md does not exist' "$T/orphans.txt"
"$JIXIA" l10n "$r" --format json >"$T/orphans.json" 2>/dev/null
check "orphans: in JSON" grep -qF '"orphan_pages":[{"path":"content/zh-cn/docs/gone.md","url":"/zh-cn/docs/gone/","original":"content/en/docs/gone.md"},{"path":"content/zh-cn/docs/old.md","url":"/zh-cn/docs/old/","original":"content/en/docs/old.md","moved_to":"content/en/docs/new.md","move_to":"content/zh-cn/docs/new.md"}]' "$T/orphans.json"
"$JIXIA" build "$r" -o "$T/orphans-out" 2>/dev/null
check "orphans: /l10n/ lists them" contains "$T/orphans-out/l10n/index.html" \
	'<a href="/zh-cn/docs/old/" hreflang="zh-CN" lang="zh-CN">旧</a> <code class="l10n-file">content/zh-cn/docs/old.md</code> <span class="link-note">its original moved to <code class="l10n-file">content/en/docs/new.md</code> · move it to <code class="l10n-file">content/zh-cn/docs/new.md</code></span>'
check "orphans: /zh-cn/l10n/ in Chinese" contains "$T/orphans-out/zh-cn/l10n/index.html" '<h3>原文缺失的译文</h3>'
check "orphans: still published" test -s "$T/orphans-out/zh-cn/docs/old/index.html"

finish
