# feeds.sh — what readers, calendars and crawlers fetch besides the pages:
# Atom feeds, iCalendar files, sitemap (and its index past 50,000 URLs),
# robots.txt, JSON-LD, head tags, 404.html. Feeds and sitemaps are validated
# with xmllint against tests/schemas/ and read back with Debian's
# python3-feedparser and python3-icalendar (tests/e2e/feeds.py), on a site
# of hostile values and on this repository's own portal.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

PY=/usr/bin/python3
schemas=$here/schemas

if ! command -v xmllint >/dev/null 2>&1 || ! $PY -c 'import feedparser, icalendar' 2>/dev/null; then
	fail "feed tests" "need xmllint and Debian's python3-feedparser, python3-icalendar (make test-deps as root)"
	finish
	exit 1
fi

# pycheck ARGS...: runs feeds.py and counts its ok/FAIL lines.
pycheck() {
	$PY "$here/e2e/feeds.py" "$@" >"$T/py.out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done <"$T/py.out"
	grep -q '^ok \|^FAIL ' "$T/py.out" || fail "feeds.py $1" "exit $rc, no result"
}

# xsd SCHEMA FILE: xmllint's verdict, its errors shown, its "validates" not.
xsd() {
	xmllint --noout --schema "$1" "$2" 2>"$T/xsd.err" || { head -n 5 "$T/xsd.err"; return 1; }
}

# validate OUT: every feed against atom.rng, the sitemap against its schema.
validate() {
	bad=""
	for f in $(find "$1" -name atom.xml | sort); do
		xmllint --noout --relaxng "$schemas/atom.rng" "$f" 2>>"$T/xmllint.err" || bad="$bad $f"
	done
	check "$2: every Atom feed is valid (xmllint --relaxng atom.rng)" test -z "$bad"
	[ -z "$bad" ] || head -n 5 "$T/xmllint.err"
	if grep -q '<sitemapindex' "$1/sitemap.xml"; then
		check "$2: sitemap index is valid" xsd "$schemas/siteindex.xsd" "$1/sitemap.xml"
		for f in "$1"/sitemap-*.xml; do
			check "$2: $(basename "$f") is valid" xsd "$schemas/sitemap.xsd" "$f"
		done
	else
		check "$2: sitemap.xml is valid (xmllint --schema sitemap.xsd)" xsd "$schemas/sitemap.xsd" "$1/sitemap.xml"
	fi
}

# --- a site of hostile values ----------------------------------------------
site=$T/site
mkdir -p "$site/content/events" "$site/content/people" "$site/content/talks" "$site/content/faq" \
	"$site/content/docs/guide" "$site/content/cases" "$site/content/projects"
cat >"$site/site.yaml" <<'Y'
title: "Hostile <Site> & \"Co\""
base_url: https://example.org/sub/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
timezone: Asia/Shanghai
taxonomies: [tags, city]
Y
cat >"$site/content/events/hostile.md" <<'Y'
---
title: "A <b>&amp;</b> \"q\" ]]> ; , \\ back\x01slash\x7f \uFFFE end 长标题长标题长标题长标题长标题长标题长标题长标题长标题长标题长标题长标题"
date: 2024-05-18
end_date: 2024-05-19
kind: meetup
venue: Hall 1
city: "杭州, 西湖; \\区"
organizers: [alice]
tags: [vacuum, "a,b"]
---
Meet & talk about <VACUUM>.
Y
cat >"$site/content/events/hostile.en.md" <<'Y'
---
title: Hostile, in English
date: 2024-05-18
kind: meetup
city: Hangzhou
tags: [vacuum]
---
In English.
Y
cat >"$site/content/events/online.md" <<'Y'
---
title: 线上答疑
date: 2025-03-12
kind: online-qa
online_url: https://live.example.org/q?a=1&b=2
---
Online.
Y
cat >"$site/content/events/future.md" <<'Y'
---
title: Future
date: 2099-01-01
kind: conference
city: 北京
---
Later.
Y
cat >"$site/content/people/alice.md" <<'Y'
---
name: Alice <A&B>
company: ACME; Inc.
city: 杭州
links: [https://github.com/alice]
---
Alice.
Y
cat >"$site/content/talks/t1.md" <<'Y'
---
title: VACUUM & friends
date: 2024-05-18
speakers: [alice]
video: https://video.example.org/v/1
duration: 45
tags: [vacuum]
---
A talk.
Y
cat >"$site/content/talks/t2.md" <<'Y'
---
title: No video
date: 2024-05-17
speakers: [alice]
---
Another talk.
Y
cat >"$site/content/faq/q1.md" <<'Y'
---
title: Why <bloat>?
date: 2024-05-01
answered_by: [alice]
---
Old rows &amp; dead tuples stay until **VACUUM**.
Y
cat >"$site/content/faq/long.md" <<'Y'
---
title: Long summary
date: 2024-05-02
summary: "PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them. PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them. PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them. PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them. PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them. PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them."
---
Body.
Y
cat >"$site/content/docs/guide.md" <<'Y'
---
title: Guide
---
The guide.
Y
cat >"$site/content/docs/guide/install.md" <<'Y'
---
title: Install
---
Install it.
Y
cat >"$site/content/cases/c1.md" <<'Y'
---
title: A case
company: ACME; Inc.
authors: [alice]
date: 2024-03-01
---
A case study.
Y
# Organisations: one of each schema.org type, named by a person, a case and an event.
mkdir -p "$site/content/orgs"
cat >"$site/content/orgs/acme.md" <<'Y'
---
name: "ACME <Org> & \"Co\""
kind: company
city: "杭州 <西湖>"
website: https://acme.example.com/?a=1&b=2
logo: https://cdn.example.org/acme.png
description: "Makes <everything> & more."
---
ACME.
Y
printf -- '---\nname: 西湖大学\nkind: university\n---\nA university.\n' >"$site/content/orgs/uni.md"
printf -- '---\nname: 数据局\nkind: government\n---\nA bureau.\n' >"$site/content/orgs/gov.md"
printf -- '---\nname: Bob\ncompany: Old Co\norg: acme\n---\nBob.\n' >"$site/content/people/bob.md"
printf -- '---\ntitle: A campus case\ncompany: 西湖大学\norg: uni\ndate: 2024-03-02\n---\nOn campus.\n' \
	>"$site/content/cases/c2.md"
sed -i 's/^online_url: .*/&\nhosts: [uni]\nsponsors: [acme, gov]/' "$site/content/events/online.md"

mkdir -p "$site/content/jobs"
cat >"$site/content/jobs/hostile-job.md" <<'Y'
---
title: 'Intern <DBA> & "on call"'
org: acme
city: 杭州
remote: true
kind: internship
apply: "mailto:jobs@acme.example.org?subject=Intern"
posted: 2024-05-20
expires: 2024-06-30
---
Work on **VACUUM** & &lt;friends&gt;.
Y
cat >"$site/content/jobs/closed-job.md" <<'Y'
---
title: Closed job
org: uni
city: 北京
posted: 2024-04-01
expires: 2024-05-31
---
Gone.
Y

cat >"$site/content/projects/p1.md" <<'Y'
---
name: "pg_<b>jieba</b> & \"co\""
category: extension
repository: https://code.example.org/p1?a=1&b=2
website: https://p1.example.org/
license: (MIT OR apache-2.0) AND LicenseRef-Own
language: C & <SQL>
maintainers: [alice]
org: uni
tags: [chinese, "a,b"]
---
Chinese <segmentation> & search.
Y
cat >"$site/content/projects/p2.md" <<'Y'
---
name: Bare
category: cloud
---
A service with no repository, license or maintainer.
Y

mkdir -p "$site/content/venues"
cat >"$site/content/venues/hall.md" <<'Y'
---
name: "Hall <b>&amp;</b> \"One\""
city: "杭州, 西湖; \\区"
address: "1 \"Lake\" Rd; <West>"
map: https://map.example.org/?q=a&z=1
contact: alice
capacity: 80
equipment: [projector, streaming]
photos: [https://example.org/p.png?a=1&b=2]
---
A hall.
Y
cat >"$site/content/events/placed.md" <<'Y'
---
title: Placed
date: 2024-05-20
kind: meetup
venue: hall
---
At the hall.
Y

now=1717200000 # 2024-06-01
SOURCE_DATE_EPOCH=$now "$JIXIA" build "$site" -o "$T/out" -j 1 2>"$T/err"
check "hostile site builds" test $? -eq 0
[ -s "$T/err" ] && grep -v 'not in a git repository' "$T/err"
validate "$T/out" "hostile"
pycheck atom "$T/out" https://example.org/sub/
pycheck ics "$T/out"
pycheck sitemap "$T/out" https://example.org/sub/
pycheck jsonld "$T/out"
pycheck head "$T/out" https://example.org/sub/
pycheck hostile "$T/out" https://example.org/sub/ "$now"
check "robots.txt written" contains "$T/out/robots.txt" "User-agent: *"

# The same input gives the same bytes at any -j; ids survive a new title and slug.
SOURCE_DATE_EPOCH=$now "$JIXIA" build "$site" -o "$T/out4" -j 4 2>/dev/null
check "feeds byte-identical at -j 1 and -j 4" diff -r "$T/out" "$T/out4"
sed -i 's/^title: Long summary$/title: Renamed\nslug: renamed-long/' "$site/content/faq/long.md"
SOURCE_DATE_EPOCH=$now "$JIXIA" build "$site" -o "$T/out2" -j 3 2>/dev/null
check "renamed page moved" test -f "$T/out2/faq/renamed-long/index.html"
pycheck ids "$T/out" "$T/out2"

# A datetime event is written in UTC; an unknown build time gives DTSTAMP at 1970.
timed=$T/timed
mkdir -p "$timed/content/events"
cat >"$timed/site.yaml" <<'Y'
title: Timed
base_url: https://example.org/
timezone: Asia/Shanghai
types:
  event:
    folder: events
    fields:
      title: {type: string, required: true}
      date: {type: datetime, required: true}
      end_date: {type: datetime}
Y
printf -- '---\ntitle: Evening talk\ndate: 2024-05-18 19:30\nend_date: 2024-05-18 21:00\n---\nTalk.\n' \
	>"$timed/content/events/evening.md"
"$JIXIA" build "$timed" -o "$T/timed-out" 2>/dev/null
check "timed: DTSTART in UTC" contains "$T/timed-out/events.ics" "DTSTART:20240518T113000Z"
check "timed: DTEND in UTC" contains "$T/timed-out/events.ics" "DTEND:20240518T130000Z"
check "timed: DTSTAMP at 1970 without a build time" contains "$T/timed-out/events.ics" "DTSTAMP:19700101T000000Z"
check "timed: Atom date in the site's zone" contains "$T/timed-out/atom.xml" "<updated>2024-05-18T19:30:00+08:00</updated>"
check "timed: JSON-LD startDate with its offset" contains "$T/timed-out/events/evening/index.html" \
	'"startDate":"2024-05-18T19:30:00+08:00"'
pycheck ics "$T/timed-out"

# --- this repository's portal ------------------------------------------------
SOURCE_DATE_EPOCH=1795305600 "$JIXIA" build "$here/.." -o "$T/portal" 2>"$T/err"
check "portal builds" test $? -eq 0
# A reference shown in the default language says so (lang, hreflang); one in the page's own does not.
check "portal: a Chinese-only related question on an English page is marked lang=zh" \
	contains "$T/portal/en/faq/why-is-my-index-not-used/index.html" '<a href="/faq/which-index-type/" lang="zh" hreflang="zh">'
check "portal: a reference in the page's own language is not marked" \
	sh -c "! grep -q 'lang=\"zh\" hreflang' '$T/portal/faq/why-is-my-index-not-used/index.html'"
# Every language's feeds hold the whole portal, as its lists do: an untranslated talk is in
# the English feeds too, marked as Chinese.
check "portal: the English talk feed holds as many talks as the Chinese" \
	test "$(grep -c '<entry' "$T/portal/en/talks/atom.xml")" -eq "$(grep -c '<entry' "$T/portal/talks/atom.xml")"
check "portal: an untranslated talk in the English feed, marked zh" \
	sh -c "grep -A1 '<entry xml:lang=\"zh\">' '$T/portal/en/talks/atom.xml' | grep -qxF '<title>从课堂到生产：学生最该学的五件 PostgreSQL 小事</title>'"
check "portal: and in the English site feed" \
	contains "$T/portal/en/atom.xml" '<link rel="alternate" type="text/html" href="https://example.org/talks/2025-chengdu-pg-for-students/"/>'
check "portal: an English entry is not marked" sh -c "! grep -q 'entry xml:lang=\"en' '$T/portal/en/talks/atom.xml'"
validate "$T/portal" "portal"
pycheck atom "$T/portal" https://example.org/
pycheck ics "$T/portal"
pycheck sitemap "$T/portal" https://example.org/
pycheck jsonld "$T/portal"
pycheck head "$T/portal" https://example.org/
check "portal: FAQPage on the FAQ index" grep -q '"@type":"FAQPage"' "$T/portal/faq/index.html"
check "portal: 404.html" grep -q 'data-kind="notfound"' "$T/portal/404.html"

# --- more than 50,000 URLs: a sitemap index ----------------------------------
big=$T/big
mkdir -p "$big/content/faq" "$big/layouts"
printf 'title: Big\nbase_url: https://example.org/\npaginate: 1\n' >"$big/site.yaml"
for l in faq list home; do echo '{{title}}' >"$big/layouts/$l.html"; done
# 25,001 questions, one per list page, the home page and /help-wanted/: 50,004 URLs.
awk 'BEGIN { for (i = 0; i < 25001; i++) printf "q%d\n", i }' | while read -r q; do
	printf -- '---\ntitle: %s\n---\nA.\n' "$q" >"$big/content/faq/$q.md"
done
"$JIXIA" build "$big" -o "$T/big-out" 2>/dev/null
check "big site builds" test -f "$T/big-out/sitemap.xml"
check "sitemap.xml is an index" grep -q '<sitemapindex' "$T/big-out/sitemap.xml"
check "index names sitemap-1.xml and sitemap-2.xml" test "$(grep -c '<loc>https://example.org/sitemap-[12].xml</loc>' "$T/big-out/sitemap.xml")" -eq 2
check "sitemap-1.xml holds 50,000 URLs" test "$(grep -c '<url>' "$T/big-out/sitemap-1.xml")" -eq 50000
check "sitemap-2.xml holds the rest" test "$(grep -c '<url>' "$T/big-out/sitemap-2.xml")" -eq 4
check "no sitemap-3.xml" test ! -e "$T/big-out/sitemap-3.xml"
validate "$T/big-out" "big"

finish
