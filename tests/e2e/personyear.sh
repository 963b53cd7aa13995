# personyear.sh — a person's year in review (/people/NAME/YEAR/) from a
# history the test builds with known dates: Alice writes, edits and
# translates in three consecutive ISO weeks (2024-W10..W12), then after a
# gap in two more (W15, W16: the second answers Bob's urgent question),
# gives a talk (W22) and organises an event; a commit on Monday 2024-12-30
# is a 2024 commit in ISO week 2025-W01, so 2025's streak is two weeks.
# Bob opens the question in 2023 and adds the talk, the event (he
# volunteers) and a question Helper (no git identity) answered. The
# numbers are worked out by hand below and checked exactly, in both
# languages, with the years on the person pages newest first; the same
# bytes at -j1 and -j2; no year page without a history of a person.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkrepo "$site"
page() { # page PATH BODY FRONT-MATTER-LINES...
	f=$site/content/$1
	b=$2
	shift 2
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; echo "$b"; } >"$f"
}
cat >"$site/site.yaml" <<'Y'
title: Year Test
base_url: https://example.org/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
contributors:
  points: {talk: 10, doc: 5, faq: 2, event: 4, translation: 3, commit: 1}
  titles:
    - {min: 0, name: {zh: 新人, en: Newcomer}}
    - {min: 15, name: {zh: 贡献者, en: Contributor}}
    - {min: 30, name: 布道师}
Y
page people/alice.md 'Alice.' 'name: Alice Wang' 'git_emails: [alice@example.org]'
page people/alice.en.md 'Alice.' 'name: Alice Wang'
page people/bob.md 'Bob.' 'name: Bob Li' 'git_emails: [bob@example.org]'
page people/bob.en.md 'Bob.' 'name: Bob Li'
page people/helper.md 'Helper.' 'name: Helper'
page faq/q.md '' 'title: 加急问题' 'date: 2023-12-01' 'status: open' 'bounty: 20'
as 'Bob Li' bob@example.org 2023-12-20T10:00:00Z 'people and an urgent question'

# 2024-W10, W11, W12: three weeks in a row.
page docs/a.md 'A.' 'title: 甲'
as 'Alice Wang' alice@example.org 2024-03-04T10:00:00Z 'doc a'
echo 'More.' >>"$site/content/docs/a.md"
as 'Alice Wang' alice@example.org 2024-03-13T10:00:00Z 'more a'
page docs/a.en.md 'A.' 'title: A'
as 'Alice Wang' alice@example.org 2024-03-20T10:00:00Z 'translate a'
# a gap (W13, W14), then W15 and W16: the answer earns the bounty.
echo 'Even more.' >>"$site/content/docs/a.md"
as 'Alice Wang' alice@example.org 2024-04-10T10:00:00Z 'edit a'
page faq/q.md 'The answer.' 'title: 加急问题' 'date: 2023-12-01' 'status: answered' 'bounty: 20'
as 'Alice Wang' alice@example.org 2024-04-17T10:00:00Z 'answer q'
# Bob: a talk by Alice (2024-05-30, W22), an event she organises and he
# volunteers at, a question Helper answered.
page talks/t.md 'Talk.' 'title: 演讲甲' 'date: 2024-05-30' 'speakers: [alice]'
page talks/t.en.md 'Talk.' 'title: Talk A' 'date: 2024-05-30' 'speakers: [alice]'
page events/e.md 'Event.' 'title: 聚会' 'date: 2024-06-15' 'kind: meetup' 'organizers: [alice]' 'volunteers: [bob]'
page faq/q2.md 'Answered.' 'title: 问题二' 'date: 2024-05-01' 'answered_by: [helper]'
as 'Bob Li' bob@example.org 2024-05-02T10:00:00Z 'talk, event, q2'
# Monday 2024-12-30: a 2024 commit in ISO week 2025-W01; then 2025-W02.
echo 'Late.' >>"$site/content/docs/a.md"
as 'Alice Wang' alice@example.org 2024-12-30T10:00:00Z 'late edit'
echo 'Later.' >>"$site/content/docs/a.md"
as 'Alice Wang' alice@example.org 2025-01-08T10:00:00Z 'new year edit'

build() { "$JIXIA" build "$site" -o "$1" -j "$2" --now 2025-06-01 2>"$T/err"; }
check 'build with a history' build "$T/out" 2
out=$T/out
a24=$out/people/alice/2024/index.html
a25=$out/people/alice/2025/index.html
num() { # num FILE LABEL VALUE
	contains "$1" "<div><dt>$2</dt><dd>$3</dd></div>"
}
# Alice 2024, by hand: 6 commits (6 points), a doc written (5), a
# translation (3), the bounty (20): 34 points, past 30: 布道师. Weeks W10,
# W11, W12, W15, W16, W22 (the talk; the event is a Saturday of W24):
# 7 active, the longest run W10..W12 from Monday 03-04 to Sunday 03-24.
check 'alice 2024: points' num "$a24" 获得积分 34
check 'alice 2024: title at the year end' num "$a24" 年底头衔 布道师
check 'alice 2024: commits' num "$a24" 提交 6
check 'alice 2024: pages written' num "$a24" 撰写的页面 1
check 'alice 2024: translated' num "$a24" 翻译的页面 1
check 'alice 2024: talks' num "$a24" 演讲 1
check 'alice 2024: answers' num "$a24" 解答的问题 1
check 'alice 2024: organised' num "$a24" 组织的活动 1
check 'alice 2024: volunteered' num "$a24" 志愿参与的活动 0
check 'alice 2024: active weeks (the 2024-12-30 one is 2025-W01)' num "$a24" 打卡周数 7
check 'alice 2024: longest streak' num "$a24" 最长连续打卡周数 3
check 'alice 2024: the streak from Monday to Sunday' contains "$a24" \
	'最长连续打卡周数：<strong>3</strong> 周，从 <time datetime="2024-03-04">2024-03-04</time> 到 <time datetime="2024-03-24">2024-03-24</time>'
check 'alice 2024: the bounty, in the year of the answering commit' contains "$a24" \
	'回答的加急问题 <span class="badge help-urgent">+20</span>'
check 'alice 2024: the question, linked, dated by its answer' contains "$a24" \
	'<li><a href="/faq/q/">加急问题</a> <span class="link-note"><time datetime="2024-04-17">2024-04-17</time></span> <span class="badge help-urgent">+20</span></li>'
check 'alice 2024: the talk' contains "$a24" \
	'<li><a href="/talks/t/">演讲甲</a> <span class="link-note"><time datetime="2024-05-30">2024-05-30</time></span></li>'
check 'alice 2024: the event' contains "$a24" '<a href="/events/e/">聚会</a>'
check 'alice 2024: the translation' contains "$a24" '<a href="/en/docs/a/" lang="en" hreflang="en">A</a>'
check 'alice: first contribution, what the first commit made' contains "$a24" \
	'第一次贡献：<time datetime="2024-03-04">2024-03-04</time> · 撰写 <a href="/docs/a/">甲</a>'
check 'alice 2024: the years, newest first, this one marked' contains "$a24" \
	'<ul class="year-links"><li><a href="/people/alice/2025/">2025</a></li><li><a href="/people/alice/2024/" aria-current="page">2024</a></li></ul>'
# 2025: one commit, 35 by the year's end; W01 (2024-12-30) and W02.
check 'alice 2025: points' num "$a25" 获得积分 1
check 'alice 2025: title by the total' num "$a25" 年底头衔 布道师
check 'alice 2025: a streak across the new year' contains "$a25" \
	'<strong>2</strong> 周，从 <time datetime="2024-12-30">2024-12-30</time> 到 <time datetime="2025-01-12">2025-01-12</time>'
check 'alice: no year without a contribution' test ! -e "$out/people/alice/2023/index.html"
check 'alice: the years sum to the total on her page (35)' contains "$out/people/alice/index.html" '<span>35 积分</span>'
check 'alice: the person page lists the years, newest first' contains "$out/people/alice/index.html" \
	'<ul class="year-links"><li><a href="/people/alice/2025/">2025</a></li><li><a href="/people/alice/2024/">2024</a></li></ul>'
# English: the translated person page has the years, links go to the translations.
e24=$out/en/people/alice/2024/index.html
check 'en: the year page' num "$e24" 'Points earned' 34
check 'en: the streak sentence' contains "$e24" \
	'Longest streak of active weeks: <strong>3</strong> weeks, from <time datetime="2024-03-04">2024-03-04</time> to'
check 'en: the talk in English' contains "$e24" '<a href="/en/talks/t/">Talk A</a>'
check 'en: a page not translated, marked' contains "$e24" '<a href="/events/e/" lang="zh" hreflang="zh">聚会</a>'
check 'en: the switcher leads to the same year' contains "$a24" 'href="/en/people/alice/2024/"'
# Bob: 2023 the question (2), the people pages (none), their two translations
# (3 + 3) and a commit: 9; 2024 talk, its translation, event, question and
# a commit (10 + 3 + 4 + 2 + 1 = 20), 29 in all: short of 30.
b23=$out/people/bob/2023/index.html
b24=$out/people/bob/2024/index.html
check 'bob 2023: points' num "$b23" 获得积分 9
check 'bob 2023: translated' num "$b23" 翻译的页面 2
check 'bob 2023: a translation links to itself' contains "$b23" '<a href="/en/people/alice/" lang="en" hreflang="en">Alice Wang</a>'
check 'bob 2023: title' num "$b23" 年底头衔 新人
check 'bob 2024: points' num "$b24" 获得积分 20
check 'bob 2024: title by the total (29)' num "$b24" 年底头衔 贡献者
check 'bob 2024: volunteered' num "$b24" 志愿参与的活动 1
check 'bob 2024: pages written' num "$b24" 撰写的页面 3
check 'bob 2024: en title' num "$out/en/people/bob/2024/index.html" 'Title at the year&#39;s end' Contributor
# Helper has no git identity: answered_by dates the answer by the question's first commit.
h24=$out/people/helper/2024/index.html
check 'helper: answers without commits' num "$h24" 解答的问题 1
check 'helper: no commit' num "$h24" 提交 0
check 'helper: the question' contains "$h24" '<a href="/faq/q2/">问题二</a>'
check '/contributors/2024/: a top contributor links to their year' contains "$out/contributors/2024/index.html" \
	'<th scope="row"><a href="/people/alice/2024/">Alice Wang</a></th><td class="num">6</td>'
check '/en/contributors/2024/: the link leads to their English year' contains "$out/en/contributors/2024/index.html" \
	'<th scope="row"><a href="/en/people/alice/2024/">Alice Wang</a></th><td class="num">6</td>'
# Every link of the year pages and the person pages leads to a file of the site.
dead() {
	for f in "$out"/people/*/index.html "$out"/people/*/*/index.html "$out"/en/people/*/index.html \
		"$out"/en/people/*/*/index.html; do
		grep -o 'href="/[^"]*"' "$f" | sed 's/^href="//; s/"$//; s/#.*//' | while read -r u; do
			case $u in */) u=${u}index.html ;; esac
			[ -e "$out$u" ] || echo "$f: $u"
		done
	done
}
check 'no dead link on the year and person pages' test -z "$(dead)"
build "$T/out1" 1
check 'same bytes at -j1' diff -r "$T/out" "$T/out1"
# Without a repository: talks and events still make a year, no commits.
cp -r "$site" "$T/nogit" && rm -rf "$T/nogit/.git"
check 'no repository: builds' sh -c "'$JIXIA' build '$T/nogit' -o '$T/out2' --now 2025-06-01 2>/dev/null"
check 'no repository: the talk still makes a year' num "$T/out2/people/alice/2024/index.html" 演讲 1
# A page at a year page's address: an error at the page's file, nothing published.
mkdir -p "$T/nogit/content/people/alice"
printf -- '---\nname: Alice 2024\n---\nA.\n' >"$T/nogit/content/people/alice/2024.md"
"$JIXIA" build "$T/nogit" -o "$T/out3" --now 2025-06-01 2>"$T/clash.err"
check 'a page at a year page'"'"'s address fails' test $? -eq 1
check 'the clash named at the page' grep -q "^content/people/alice/2024.md: error: would be published at /people/alice/2024/, where jixia writes its own 'person_year' page" "$T/clash.err"
check 'nothing published' test ! -e "$T/out3"
finish
