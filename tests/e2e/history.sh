# history.sh — what git history gives the site, end to end. The test builds
# its own repository: three authors (one mapped by .mailmap, one without a
# person page, one as a Co-authored-by trailer), known dates, a rename, a
# translation pinned to an old commit, one pinned to the latest, one
# without the field, one pinned to an unknown commit, and an uncommitted
# file. It checks the rendered dates, authors, edit links, points, titles,
# banners, /contributors/, /l10n/, `jixia l10n`, --ref, and the edge
# cases: no repository, a shallow clone, --strict.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkrepo "$site"

# as NAME EMAIL DATE MESSAGE: commits everything as that author.
as() {
	git -C "$site" add -A
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 GIT_COMMITTER_DATE=$3 \
		git -C "$site" commit -q -m "$4"
}
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

# Uncommitted file: updated is the build time.
check "uncommitted file: updated = --now" contains "$out/faq/new/index.html" '<time datetime="2024-06-01">2024年6月1日</time>'

# Banners: pinned to an old commit, and without the field.
p=$out/en/docs/install/index.html
check "banner on the translation pinned to an old commit" contains "$p" 'This translation may be out of date'
check "banner says how many commits and when" contains "$p" \
	'The original has changed in 1 commit since this translation was made, most recently on <time datetime="2024-03-01">Mar 1, 2024</time>.'
check "banner links to the original" contains "$p" '<a href="/docs/install/" hreflang="zh">Read the original</a>'
check "banner links to the diff" contains "$p" "https://github.com/example/portal/compare/$c1...$c3"
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
check "/l10n/ lists the missing" contains "$p" '<a href="/faq/new/">新问题</a>'

# jixia l10n: the same, as text and JSON.
"$JIXIA" l10n "$site" >"$T/l10n.txt" 2>"$T/l10n.err"
check "l10n exits 0" test $? -eq 0
check "l10n summary" grep -qx 'en: 4 of 7 translated (57%), 2 outdated, 3 missing' "$T/l10n.txt"
check "l10n outdated (pinned)" grep -q "^en outdated content/docs/install.en.md: content/docs/install.md changed in 1 commit since $(echo "$c1" | cut -c1-10) (last 2024-03-01) https://github.com/example/portal/compare/$c1...$c3\$" "$T/l10n.txt"
check "l10n outdated (no pin)" grep -q '^en outdated content/faq/why.en.md: content/faq/why.md changed in 1 commit' "$T/l10n.txt"
check "l10n missing" grep -qx 'en missing content/people/alice.md' "$T/l10n.txt"
check "l10n: 6 lines" test "$(wc -l <"$T/l10n.txt")" -eq 6
"$JIXIA" l10n "$site" --lang en --format json >"$T/l10n.json" 2>/dev/null
check "l10n json parses" python3 -c "import json,sys; d=json.load(open('$T/l10n.json')); l=d['languages'][0]; sys.exit(not (l['coverage']==57 and l['outdated']==2 and l['missing_pages'][0]['path']=='content/faq/new.md' and l['outdated_pages'][0]['base']=='$c1'))"
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

# Not a git repository: one warning, no /contributors/, dates left out.
mkdir "$T/plain" && cp -R "$site/site.yaml" "$site/content" "$T/plain/"
"$JIXIA" build "$T/plain" -o "$T/plain-out" --strict 2>"$T/err"
check "no repository: builds, even with --strict" test $? -eq 0
check "no repository: one warning" test "$(grep -c 'warning: .*not in a git repository' "$T/err")" -eq 1
check "no repository: no /contributors/" test ! -e "$T/plain-out/contributors"
check "no repository: /l10n/ still lists missing pages" contains "$T/plain-out/l10n/index.html" '<a href="/faq/new/">新问题</a>'
check "no repository: edit link still there" contains "$T/plain-out/docs/install/index.html" '/edit/main/content/docs/install.md'

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

finish
