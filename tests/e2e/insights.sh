# insights.sh — /insights/ from a history the test builds: three authors
# (one a Co-authored-by trailer, one with a name a spreadsheet would take
# for a formula), known dates across four months in a +08:00 site (one
# commit on the last evening of January UTC is February there), a commit
# that changes no content, a translation, an event held and one to come.
# It checks the CSV and JSON numbers exactly (worked out by hand below),
# the charts' SVG (bars, title, desc, tables), the links to the page, the
# same bytes at -j1 and -j2, and no /insights/ without a history.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkrepo "$site"
as() { # as NAME EMAIL DATE MESSAGE
	git -C "$site" add -A
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 GIT_COMMITTER_DATE=$3 \
		git -C "$site" commit -q -m "$4"
}
page() { # page PATH FRONT-MATTER-LINES...
	f=$site/content/$1
	shift
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; echo "Body."; } >"$f"
}
cat >"$site/site.yaml" <<'Y'
title: Insights Test
base_url: https://example.org/
timezone: "+08:00"
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
Y
# January: Alice adds two docs and a question.
page docs/a.md 'title: 甲'
page docs/b.md 'title: 乙'
page faq/q1.md 'title: 问题一'
as 'Alice Wang' alice@example.org 2024-01-10T10:00:00Z 'docs and a question'
# 2024-02-01 04:00 in +08:00: February. Bob translates a doc.
page docs/a.en.md 'title: A'
as 'Bob Li' bob@example.org 2024-01-31T20:00:00Z 'translate a'
# February: Alice with Carol adds an event held in March.
page events/2024-03-meetup.md 'title: 三月聚会' 'date: 2024-03-20' 'kind: meetup'
git -C "$site" add -A
GIT_AUTHOR_NAME='Alice Wang' GIT_AUTHOR_EMAIL=alice@example.org GIT_AUTHOR_DATE=2024-02-15T10:00:00Z \
	GIT_COMMITTER_DATE=2024-02-15T10:00:00Z git -C "$site" commit -q \
	-m 'march meetup' -m 'Co-authored-by: Carol <carol@example.org>'
# March: no content changed.
echo 'description: x' >>"$site/site.yaml"
as 'Bob Li' bob@example.org 2024-03-01T10:00:00Z 'site description'
# April: Bob, with a formula-like co-author, adds an event to come.
echo 'More.' >>"$site/content/docs/a.md"
page events/2024-05-future.md 'title: 五月' 'date: 2024-05-10' 'kind: tea'
git -C "$site" add -A
GIT_AUTHOR_NAME='Bob Li' GIT_AUTHOR_EMAIL=bob@example.org GIT_AUTHOR_DATE=2024-04-05T10:00:00Z \
	GIT_COMMITTER_DATE=2024-04-05T10:00:00Z git -C "$site" commit -q \
	-m 'may tea' -m 'Co-authored-by: =SUM("x")&co <evil@example.org>'

# 2024-04-20: the March meetup is held, the May tea is not.
now=1713571200
build() { SOURCE_DATE_EPOCH=$now "$JIXIA" build "$site" -o "$1" -j "$2" 2>"$T/err"; }
check 'build with a history' build "$T/out" 2
out=$T/out

# By hand: Jan 1 commit (Alice, new); Feb 2 commits (Bob, Alice, Carol: 3
# active, Bob and Carol new), a translation and an event added; Mar no
# commit (the site.yaml one changes no content), the meetup held; Apr 1
# commit (Bob and the co-author: 2 active, 1 new), an event added. Types in
# folder order: doc, event, faq. Top: most commits, then the name.
cat >"$T/want.csv" <<'C'
period,commits,active_contributors,new_contributors,translations_added,events_held,added_doc,added_event,added_faq,top_contributor,top_contributor_commits
2024-01,1,1,1,0,0,2,0,1,Alice Wang,1
2024-02,2,3,2,1,0,0,1,0,Alice Wang,1
2024-03,0,0,0,0,1,0,0,0,,0
2024-04,1,2,1,0,0,0,1,0,"'=SUM(""x"")&co",1
C
sed 's/$/\r/' "$T/want.csv" >"$T/want.crlf"
check 'data.csv: every number per month' cmp "$T/want.crlf" "$out/insights/data.csv"
[ -f "$out/insights/data.csv" ] && diff "$T/want.crlf" "$out/insights/data.csv" | cat -A | head -20

cat >"$T/want.json" <<'J'
{"period":"month","periods":[
{"period":"2024-01","commits":1,"active_contributors":1,"new_contributors":1,"translations_added":0,"events_held":0,"added":{"doc":2,"event":0,"faq":1},"top_contributor":{"name":"Alice Wang","commits":1}},
{"period":"2024-02","commits":2,"active_contributors":3,"new_contributors":2,"translations_added":1,"events_held":0,"added":{"doc":0,"event":1,"faq":0},"top_contributor":{"name":"Alice Wang","commits":1}},
{"period":"2024-03","commits":0,"active_contributors":0,"new_contributors":0,"translations_added":0,"events_held":1,"added":{"doc":0,"event":0,"faq":0},"top_contributor":null},
{"period":"2024-04","commits":1,"active_contributors":2,"new_contributors":1,"translations_added":0,"events_held":0,"added":{"doc":0,"event":1,"faq":0},"top_contributor":{"name":"=SUM(\"x\")\u0026co","commits":1}}
]}
J
check 'data.json: the same numbers' cmp "$T/want.json" "$out/insights/data.json"
[ -f "$out/insights/data.json" ] && diff "$T/want.json" "$out/insights/data.json"
check 'data.json is JSON' python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/insights/data.json"

h=$out/insights/index.html
check 'insights page in the default language' test -f "$h"
check 'insights page in English' test -f "$out/en/insights/index.html"
# Commits: 4 bars over 664 units from x 48 (166 each, bars 116.2 wide,
# 24.9 in), axis top 2 over 184 units down to y 200: January's 1 is 92
# high from y 108, February's 2 fills it.
check 'commits chart: january bar' contains "$h" '<rect x="72.9" y="108.0" width="116.2" height="92.0"/>'
check 'commits chart: february bar' contains "$h" '<rect x="238.9" y="16.0" width="116.2" height="184.0"/>'
check 'commits chart: every label' contains "$h" '<text x="131.0" y="218">2024-01</text><text x="297.0" y="218">2024-02</text><text x="463.0" y="218">2024-03</text><text x="629.0" y="218">2024-04</text>'
check 'commits chart: accessible svg' contains "$h" '<svg class="chart-svg" role="img" viewBox="0 0 720 240" width="100%" preserveAspectRatio="xMidYMid meet" aria-labelledby="ins-commits-t ins-commits-d"><title id="ins-commits-t">提交</title><desc id="ins-commits-d">每个时段修改内容的提交数。</desc>'
check 'charts in the text colour only' sh -c "! grep -Eo '(fill|stroke)=\"[^\"]*\"' '$h' | grep -v currentColor"
check 'chart data table' contains "$h" '<tr><th scope="row">2024-02</th><td class="num">2</td></tr>'
# People: returning under new; February is 1 returning (Alice) + 2 new; axis top 5.
check 'people chart: february stacked' contains "$h" '<tr><th scope="row">2024-02</th><td class="num">1</td><td class="num">2</td></tr>'
check 'people chart: axis to 5' contains "$h" '<text x="42" y="20">5</text>'
check 'added chart: series per type and translations' contains "$h" '<th scope="col" class="num">doc</th><th scope="col" class="num">event</th><th scope="col" class="num">faq</th><th scope="col" class="num">翻译</th>'
check 'top contributor escaped' contains "$h" '<td>=SUM(&quot;x&quot;)&amp;co</td>'
check 'no raw name' sh -c "! grep -F '=SUM(\"x\")&co' '$h'"
check 'links to the data' contains "$h" '<a href="/insights/data.csv" type="text/csv">CSV</a>'
check 'footer links the page' contains "$out/docs/a/index.html" '<a href="/insights/">社区数据</a>'
check 'english footer links its page' contains "$out/en/docs/a/index.html" '<a href="/en/insights/">'
check 'contributors page links it' contains "$out/contributors/index.html" '<a href="/insights/">查看社区数据随时间的变化</a>'
check 'sitemap lists it' contains "$out/sitemap.xml" '<loc>https://example.org/insights/</loc>'

# Year in review: /contributors/2024/, the sums of its months and its own
# distinct people: Alice 2 commits, Bob 2, the co-authors 1 each (equal
# commits by name: '=' sorts before 'C').
y=$out/contributors/2024/index.html
check 'year page' test -f "$y"
check 'year page in English' test -f "$out/en/contributors/2024/index.html"
check 'year numbers' contains "$y" '<dl class="year-numbers"><div><dt>提交</dt><dd>4</dd></div><div><dt>活跃贡献者</dt><dd>4</dd></div><div><dt>新贡献者</dt><dd>4</dd></div><div><dt>翻译</dt><dd>1</dd></div><div><dt>举办的活动</dt><dd>1</dd></div></dl>'
check 'year pages added' contains "$y" '<tr><th scope="row">doc</th><td class="num">2</td></tr>
<tr><th scope="row">event</th><td class="num">2</td></tr>
<tr><th scope="row">faq</th><td class="num">1</td></tr>
<tr><th scope="row">翻译</th><td class="num">1</td></tr>'
check 'year top contributors' contains "$y" '<tr><td>1</td><th scope="row">Alice Wang</th><td class="num">2</td></tr>
<tr><td>2</td><th scope="row">Bob Li</th><td class="num">2</td></tr>
<tr><td>3</td><th scope="row">=SUM(&quot;x&quot;)&amp;co</th><td class="num">1</td></tr>
<tr><td>4</td><th scope="row">Carol</th><td class="num">1</td></tr>'
check 'year chart of its months' contains "$y" '<title id="year-2024-commits-t">提交</title>'
check 'year link marked' contains "$y" '<li><a href="/contributors/2024/" aria-current="page">2024</a></li>'
check 'contributors page links the years' contains "$out/contributors/index.html" '<li><a href="/contributors/2024/">2024</a></li>'
check 'sitemap lists the year' contains "$out/sitemap.xml" '<loc>https://example.org/contributors/2024/</loc>'
check 'sitemap: the year in English is its alternate' contains "$out/sitemap.xml" '<xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/contributors/2024/"/>'

check 'build at -j1' build "$T/out1" 1
check 'same bytes at -j1 and -j2' diff -r "$T/out" "$T/out1"

# Over two years of history: quarters.
echo 'Later.' >>"$site/content/docs/b.md"
as 'Alice Wang' alice@example.org 2026-03-05T10:00:00Z 'much later'
now=1775000000
check 'build over two years' build "$T/outq" 2
check 'quarters past 24 months' sh -c "head -c 200 '$T/outq/insights/data.json' | grep -qF '{\"period\":\"quarter\",\"periods\":[
{\"period\":\"2024-Q1\",\"commits\":3,\"active_contributors\":3,\"new_contributors\":3'"
check 'last quarter' contains "$T/outq/insights/data.csv" '2026-Q1,1,1,0,'
check 'a year without commits has its page' contains "$T/outq/contributors/2025/index.html" '<div><dt>提交</dt><dd>0</dd></div>'
check 'a later year' contains "$T/outq/contributors/2026/index.html" '<div><dt>提交</dt><dd>1</dd></div><div><dt>活跃贡献者</dt><dd>1</dd></div><div><dt>新贡献者</dt><dd>0</dd></div>'

# Untrusted dates: a commit in 1971 and one claiming 2099 (after the build
# time and the head's commit time: left out). 637 months from 1971 to 2024 are more than the 600 counted:
# quarters from 1974-Q1 (the month 599 before January 2024) to 2024-Q1,
# and 1971's commit and its page fall outside.
far=$T/far
mkrepo "$far"
printf 'title: Far\nbase_url: https://example.org/\n' >"$far/site.yaml"
mkdir -p "$far/content/docs" && printf -- '---\ntitle: old\n---\nx\n' >"$far/content/docs/old.md"
commit "$far" old '1971-01-01T10:00:00Z'
printf -- '---\ntitle: now\n---\nx\n' >"$far/content/docs/now.md"
commit "$far" now '2024-01-10T10:00:00Z'
printf -- '---\ntitle: later\n---\nx\n' >"$far/content/docs/later.md"
git -C "$far" add -A
GIT_AUTHOR_DATE=2099-06-01T10:00:00Z GIT_COMMITTER_DATE=2024-01-11T10:00:00Z git -C "$far" commit -q -m later
check 'untrusted dates: builds' sh -c "SOURCE_DATE_EPOCH=1713571200 '$JIXIA' build '$far' -o '$T/farout' 2>/dev/null"
check 'untrusted dates: 600 months at most, in quarters, only what lies in them' python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = d["periods"]
assert d["period"] == "quarter" and len(p) == 201, (d["period"], len(p))
assert p[0]["period"] == "1974-Q1" and p[-1]["period"] == "2024-Q1", (p[0]["period"], p[-1]["period"])
assert sum(x["commits"] for x in p) == 1 and p[-1]["commits"] == 1
assert sum(x["added"]["doc"] for x in p) == 1
' "$T/farout/insights/data.json"

# No history: no page, no link.
cp -R "$site" "$T/nogit"
rm -rf "$T/nogit/.git"
check 'build without git' sh -c "SOURCE_DATE_EPOCH=$now '$JIXIA' build '$T/nogit' -o '$T/outn' 2>/dev/null"
check 'no insights without history' test ! -e "$T/outn/insights"
check 'no link without history' sh -c "! grep -q 'insights/' '$T/outn/docs/a/index.html'"
check 'no year pages without history' test ! -e "$T/outn/contributors"
finish
