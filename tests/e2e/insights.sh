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
# folder order: doc, event, faq. Top: most commits, then the name. Then
# the later columns: the meetup has no city and no talk; q1 is answered
# from January; originals 3, 4 (the meetup), 4, 5 (the tea); a.md's
# English is current from February until a.md changes in April.
cat >"$T/want.csv" <<'C'
period,commits,active_contributors,new_contributors,translations_added,events_held,added_doc,added_event,added_faq,top_contributor,top_contributor_commits,events_no_city,events_kind_meetup,events_no_kind,talks_at_events,talks_per_event,events_with_0_talks,events_with_1_talks,events_with_2_3_talks,events_with_4plus_talks,questions_answered,questions_open,originals,translations_current_en,translations_outdated_en,coverage_en
2024-01,1,1,1,0,0,2,0,1,Alice Wang,1,0,0,0,0,,0,0,0,0,1,0,3,0,0,0.0
2024-02,2,3,2,1,0,0,1,0,Alice Wang,1,0,0,0,0,,0,0,0,0,1,0,4,1,0,25.0
2024-03,0,0,0,0,1,0,0,0,,0,1,1,0,0,0.00,1,0,0,0,1,0,4,1,0,25.0
2024-04,1,2,1,0,0,0,1,0,"'=SUM(""x"")&co",1,0,0,0,0,,0,0,0,0,1,0,5,0,1,0.0
C
sed 's/$/\r/' "$T/want.csv" >"$T/want.crlf"
check 'data.csv: every number per month' cmp "$T/want.crlf" "$out/insights/data.csv"
[ -f "$out/insights/data.csv" ] && diff "$T/want.crlf" "$out/insights/data.csv" | cat -A | head -20

cat >"$T/want.json" <<'J'
{"period":"month","periods":[
{"period":"2024-01","commits":1,"active_contributors":1,"new_contributors":1,"translations_added":0,"events_held":0,"added":{"doc":2,"event":0,"faq":1},"top_contributor":{"name":"Alice Wang","commits":1},"events_by_city":{},"events_no_city":0,"events_by_kind":{"meetup":0},"events_no_kind":0,"talks_at_events":0,"talks_per_event":null,"events_by_talks":{"0":0,"1":0,"2_3":0,"4plus":0},"questions_answered":1,"questions_open":0,"originals":3,"translation_coverage":{"en":{"current":0,"outdated":0,"coverage":0.0}}},
{"period":"2024-02","commits":2,"active_contributors":3,"new_contributors":2,"translations_added":1,"events_held":0,"added":{"doc":0,"event":1,"faq":0},"top_contributor":{"name":"Alice Wang","commits":1},"events_by_city":{},"events_no_city":0,"events_by_kind":{"meetup":0},"events_no_kind":0,"talks_at_events":0,"talks_per_event":null,"events_by_talks":{"0":0,"1":0,"2_3":0,"4plus":0},"questions_answered":1,"questions_open":0,"originals":4,"translation_coverage":{"en":{"current":1,"outdated":0,"coverage":25.0}}},
{"period":"2024-03","commits":0,"active_contributors":0,"new_contributors":0,"translations_added":0,"events_held":1,"added":{"doc":0,"event":0,"faq":0},"top_contributor":null,"events_by_city":{},"events_no_city":1,"events_by_kind":{"meetup":1},"events_no_kind":0,"talks_at_events":0,"talks_per_event":0.00,"events_by_talks":{"0":1,"1":0,"2_3":0,"4plus":0},"questions_answered":1,"questions_open":0,"originals":4,"translation_coverage":{"en":{"current":1,"outdated":0,"coverage":25.0}}},
{"period":"2024-04","commits":1,"active_contributors":2,"new_contributors":1,"translations_added":0,"events_held":0,"added":{"doc":0,"event":1,"faq":0},"top_contributor":{"name":"=SUM(\"x\")\u0026co","commits":1},"events_by_city":{},"events_no_city":0,"events_by_kind":{"meetup":0},"events_no_kind":0,"talks_at_events":0,"talks_per_event":null,"events_by_talks":{"0":0,"1":0,"2_3":0,"4plus":0},"questions_answered":1,"questions_open":0,"originals":5,"translation_coverage":{"en":{"current":0,"outdated":1,"coverage":0.0}}}
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
check 'charts in the text colour only' sh -c "! grep -Eo '(fill|stroke)=\"[^\"]*\"' '$h' | grep -v 'currentColor\\|url(#ins-[a-z]*-p[345])'"
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

# The later series on a second history (UTC, now 2025-04-20): events held
# by city (a venue's city wins over the event's own) and kind, the talks
# that name them, questions answered and open, and translation coverage
# per language: a.md's English falls behind in March and is brought up to
# date in April, its Japanese stays behind; b.md's English, touched in
# April, still pins the February commit, so it stays outdated.
m=$T/more
mkrepo "$m"
cat >"$m/site.yaml" <<'Y'
title: More
base_url: https://example.org/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
  - {code: ja, name: 日本語}
Y
mp() { # mp PATH BODY FRONT-MATTER-LINES...
	f=$m/content/$1
	b=$2
	shift 2
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; printf '%s\n' "$b"; } >"$f"
}
mp docs/a.md 'A.' 'title: 甲'
mp docs/b.md 'B.' 'title: 乙'
mp people/p1.md 'P.' 'name: 张三'
mp venues/hall.md 'Hall.' 'name: 礼堂' 'city: 杭州'
mp faq/q1.md 'Yes.' 'title: 问一'
mp faq/q2.md '' 'title: 问二'
mp faq/q3.md 'Soon.' 'title: 问三' 'status: open'
mp events/e1.md 'E.' 'title: 一' 'date: 2025-01-20' 'kind: meetup' 'city: 上海' 'venue: hall'
mp events/e2.md 'E.' 'title: 二' 'date: 2025-01-25' 'kind: tea' 'city: 北京'
for t in 1 2; do mp talks/t$t.md 'T.' "title: 讲$t" 'date: 2025-01-20' 'speakers: [p1]' 'event: e1'; done
mp talks/t3.md 'T.' 'title: 讲3' 'date: 2025-01-25' 'speakers: [p1]' 'event: e2'
commit "$m" jan 2025-01-10T10:00:00Z
mp docs/a.en.md 'A.' 'title: A'
mp docs/a.ja.md 'A.' 'title: エー'
mp docs/b.en.md 'B.' 'title: B'
mp faq/q3.md 'Now answered.' 'title: 问三'
mp events/e3.md 'Online.' 'title: 三' 'date: 2025-02-14' 'kind: meetup'
commit "$m" feb 2025-02-05T10:00:00Z
feb=$(git -C "$m" rev-parse HEAD)
echo 'More.' >>"$m/content/docs/a.md"
echo 'More.' >>"$m/content/docs/b.md"
mp events/e4.md 'E.' 'title: 四' 'date: 2025-03-08' 'kind: meetup' 'city: 北京'
for t in 4 5 6 7; do mp talks/t$t.md 'T.' "title: 讲$t" 'date: 2025-03-08' 'speakers: [p1]' 'event: e4'; done
commit "$m" mar 2025-03-03T10:00:00Z
echo 'More.' >>"$m/content/docs/a.en.md"
mp docs/b.en.md 'B, a typo fixed.' 'title: B' "translated_from: $feb"
mp docs/c.md 'C.' 'title: 丙'
commit "$m" apr 2025-04-02T10:00:00Z
mbuild() { SOURCE_DATE_EPOCH=1745107200 "$JIXIA" build "$m" -o "$1" -j "$2" 2>"$T/merr"; }
check 'more: build' mbuild "$T/mout" 2
mo=$T/mout/insights
# By hand. Events: Jan e1 (杭州, the venue's; meetup; 2 talks) and e2 (北京,
# tea, 1 talk), Feb e3 (no city, meetup, none), Mar e4 (北京, meetup, 4
# talks): cities 北京 2, 杭州 1; kinds meetup 3, tea 1. Questions: q1
# answered, q2 open throughout, q3 open in January, answered in February.
# Originals: 12 in Jan, 13 (e3) in Feb, 18 (e4 and four talks) in Mar, 19
# (c) in Apr. English: a and b in Feb, both behind in Mar, a updated in
# Apr, b pinned to Feb: 0/12, 2/13 (15.3%), 0/18, 1/19 (5.2%); Japanese:
# a in Feb (7.6%), behind after.
cut -d, -f1,15- "$mo/data.csv" | tr -d '\r' >"$T/mcsv"
cat >"$T/mwant" <<'C'
period,events_city_北京,events_city_杭州,events_no_city,events_kind_meetup,events_kind_tea,events_no_kind,talks_at_events,talks_per_event,events_with_0_talks,events_with_1_talks,events_with_2_3_talks,events_with_4plus_talks,questions_answered,questions_open,originals,translations_current_en,translations_outdated_en,coverage_en,translations_current_ja,translations_outdated_ja,coverage_ja
2025-01,1,1,0,1,1,0,3,1.50,0,1,1,0,1,2,12,0,0,0.0,0,0,0.0
2025-02,0,0,1,1,0,0,0,0.00,1,0,0,0,2,1,13,2,0,15.3,1,0,7.6
2025-03,1,0,0,1,0,0,4,4.00,0,0,0,1,2,1,18,0,2,0.0,0,1,0.0
2025-04,0,0,0,0,0,0,0,,0,0,0,0,2,1,19,1,1,5.2,0,1,0.0
C
check 'more: csv, the later columns' cmp "$T/mwant" "$T/mcsv"
diff "$T/mwant" "$T/mcsv"
check 'more: csv, the first columns' contains "$mo/data.csv" 'period,commits,active_contributors,new_contributors,translations_added,events_held,added_doc,added_event,added_faq,added_person,added_talk,added_venue,top_contributor,top_contributor_commits,events_city_'
check 'more: json, a month' contains "$mo/data.json" '"events_by_city":{"北京":1,"杭州":1},"events_no_city":0,"events_by_kind":{"meetup":1,"tea":1},"events_no_kind":0,"talks_at_events":3,"talks_per_event":1.50,"events_by_talks":{"0":0,"1":1,"2_3":1,"4plus":0},"questions_answered":1,"questions_open":2,"originals":12,"translation_coverage":{"en":{"current":0,"outdated":0,"coverage":0.0},"ja":{"current":0,"outdated":0,"coverage":0.0}}}'
check 'more: json, no event: no mean' contains "$mo/data.json" '"talks_at_events":0,"talks_per_event":null,'
check 'more: json, coverage in april' contains "$mo/data.json" '"originals":19,"translation_coverage":{"en":{"current":1,"outdated":1,"coverage":5.2},"ja":{"current":0,"outdated":1,"coverage":0.0}}}'
check 'more: data.json is JSON' python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$mo/data.json"
mh=$mo/index.html
check 'more: city chart' contains "$mh" '<title id="ins-cities-t">各城市举办的活动</title><desc id="ins-cities-d">每个时段按城市举办的活动数，叠加显示。</desc>'
check 'more: city chart table' contains "$mh" '<th scope="col" class="num">北京</th><th scope="col" class="num">杭州</th><th scope="col" class="num">其他或未填写</th></tr></thead>
<tbody>
<tr><th scope="row">2025-01</th><td class="num">1</td><td class="num">1</td><td class="num">0</td></tr>'
# Kinds by their UI strings; 2 events in January, axis top 2 over 184 units:
# meetup's 1 from y 108, tea's 1 on it from y 16.
check 'more: kind chart legend' contains "$mh" '</svg> 线下聚会</li>'
check 'more: kind chart bars' contains "$mh" '<g class="chart-s0" fill="currentColor" fill-opacity="0.85"><rect x="72.9" y="108.0" width="116.2" height="92.0"/><rect x="238.9" y="108.0" width="116.2" height="92.0"/><rect x="404.9" y="108.0" width="116.2" height="92.0"/></g>
<g class="chart-s1" fill="currentColor" fill-opacity="0.5"><rect x="72.9" y="16.0" width="116.2" height="92.0"/></g>'
check 'more: talks chart table' contains "$mh" '<tr><th scope="row">2025-03</th><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">1</td></tr>'
check 'more: questions chart table' contains "$mh" '<tr><th scope="row">2025-01</th><td class="num">1</td><td class="num">2</td></tr>
<tr><th scope="row">2025-02</th><td class="num">2</td><td class="num">1</td></tr>'
check 'more: coverage chart per language' contains "$mh" '<title id="ins-cov-en-t">翻译覆盖率 · English</title>'
check 'more: coverage, up to date, outdated, missing' contains "$mh" '<tr><th scope="row">2025-04</th><td class="num">1</td><td class="num">1</td><td class="num">17</td></tr>'
check 'more: english page words' contains "$T/mout/en/insights/index.html" '<title id="ins-talks-t">Talks per event</title>'
check 'more: charts in the text colour only' sh -c "! grep -Eo '(fill|stroke)=\"[^\"]*\"' '$mh' | grep -v 'currentColor\\|url(#ins-[a-z]*-p[345])'"
check 'more: the fourth series striped, not a fourth shade' contains "$mh" '<g class="chart-s3" fill="url(#ins-talks-p3)">'
check 'more: its stripes in the text colour' contains "$mh" '<pattern id="ins-talks-p3" class="chart-s3" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3.5" height="6" fill="currentColor" fill-opacity="0.85"/></pattern>'
check 'more: the legend swatch striped alike' contains "$mh" 'height="12"><rect width="12" height="12" fill="url(#ins-talks-p3)"/></svg>'
check 'more: build at -j1' mbuild "$T/mout1" 1
check 'more: same bytes at -j1 and -j2' diff -r "$T/mout" "$T/mout1"

# No history: no page, no link.
cp -R "$site" "$T/nogit"
rm -rf "$T/nogit/.git"
check 'build without git' sh -c "SOURCE_DATE_EPOCH=$now '$JIXIA' build '$T/nogit' -o '$T/outn' 2>/dev/null"
check 'no insights without history' test ! -e "$T/outn/insights"
check 'no link without history' sh -c "! grep -q 'insights/' '$T/outn/docs/a/index.html'"
check 'no year pages without history' test ! -e "$T/outn/contributors"
finish
