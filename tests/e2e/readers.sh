# readers.sh — what a reader of a bilingual site gets, end to end: every
# language lists the items not translated into it (with a language badge;
# translations.fallback: false turns it off) and counts them; the language
# switcher and the hreflang alternates (absolute, with x-default) of index
# pages; a 404.html per language; git dates on the commit's own calendar
# day (or the site's timezone); taxonomy values linked, the taxonomy indexes
# in the footer, a speaker's term page leading to their person page; the
# type and language of the cards on a term page.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

# sub NAME COMMAND...: a part with its own "N passed, N failed" line, added in.
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
}

site=$T/site
mkrepo "$site"
page() { # page PATH FRONT-MATTER-LINES... (the body is one line)
	f=$site/content/$1
	shift
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; echo "Body of $1."; } >"$f"
}
cat >"$site/site.yaml" <<'Y'
title: Readers
base_url: https://example.org/sub/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
taxonomies: [tags, city, speakers]
Y
page people/zm.md 'name: 赵敏' 'city: 杭州'
page people/zm.en.md 'name: Zhao Min' 'city: 杭州'
page events/big.md 'title: 大会' 'date: 2027-01-10' 'city: 上海' 'kind: conference'
page events/small.md 'title: 小聚' 'date: 2027-02-10' 'city: 杭州' 'kind: meetup'
page events/small.en.md 'title: Small meetup' 'date: 2027-02-10' 'city: 杭州' 'kind: meetup'
page talks/only-zh.md 'title: 只有中文' 'date: 2025-03-01' 'speakers: [zm]' 'tags: [vacuum]'
page talks/both.md 'title: 两种语言' 'date: 2025-04-01' 'speakers: [zm]' 'tags: [vacuum]'
page talks/both.en.md 'title: Both languages' 'date: 2025-04-01' 'speakers: [zm]' 'tags: [vacuum]'
page faq/q.md 'title: 问题' 'tags: [vacuum]'
git -C "$site" add -A
# 05:40 on 23 July at +08:00 is 21:40 on 22 July in UTC
GIT_AUTHOR_DATE=2025-07-23T05:40:00+08:00 GIT_COMMITTER_DATE=2025-07-23T05:40:00+08:00 \
	git -C "$site" commit -q -m 'content'

out=$T/out
"$JIXIA" build "$site" -o "$out" --now 2026-12-01 2>"$T/err"
check "build exits 0" test $? -eq 0

# 1. Untranslated items in every language's lists, badged, counted.
p=$out/en/events/index.html
check "en events list the untranslated event" contains "$p" 'href="/sub/events/big/" lang="zh" hreflang="zh">大会</a>'
check "with a language badge" contains "$p" '<span class="badge lang-badge" lang="zh">中文</span>'
check "en home's upcoming lists it" contains "$out/en/index.html" 'href="/sub/events/big/" lang="zh"'
check "en home counts it (2 events)" contains "$out/en/index.html" '<span class="section-name">Events</span> <span class="section-count">2</span>'
check "en person page lists the untranslated talk" contains "$out/en/people/zm/index.html" 'href="/sub/talks/only-zh/" lang="zh"'
check "en term page lists it" contains "$out/en/tags/vacuum/index.html" 'href="/sub/talks/only-zh/" lang="zh"'
check "en term count has it (3)" contains "$out/en/tags/index.html" 'vacuum <span class="count">3</span>'
check "a translated item once, in its language" test "$(grep -c 'talks/both' "$out/en/talks/index.html")" -eq 1
check "the zh lists are unchanged: no badge" sh -c "! grep -q lang-badge '$out/events/index.html'"
check "en year page lists it" contains "$out/en/talks/2025/index.html" 'href="/sub/talks/only-zh/"'
check "its speakers in the reader's language" contains "$out/en/talks/index.html" '<span class="card-speakers"><span>Zhao Min</span></span><span class="badge lang-badge" lang="zh">中文</span>'
check "dates in the reader's language" contains "$out/en/talks/index.html" '>Mar 1, 2025</time>'
check "an en term of a zh-only page exists" test -f "$out/en/city/上海/index.html"
check "the zh page keeps its own terms" contains "$out/talks/only-zh/index.html" 'href="/sub/tags/vacuum/"'

# 9. A term page names each card's type.
check "term page cards name their type" contains "$out/en/tags/vacuum/index.html" '<span class="card-type">FAQ</span>'
check "type lists do not" sh -c "! grep -q card-type '$out/en/talks/index.html'"

# 2, 3. The switcher and the alternates of index pages.
check "switcher on a term with a Chinese name" contains "$out/en/city/杭州/index.html" '<li><a href="/sub/city/杭州/" hreflang="zh" lang="zh">中文</a></li>'
check "its alternates percent-encoded" contains "$out/en/city/杭州/index.html" '<link rel="alternate" hreflang="zh" href="https://example.org/sub/city/%E6%9D%AD%E5%B7%9E/">'
for pair in "tags/vacuum/" "tags/" "talks/2025/" "talks/" ""; do
	p=$out/en/${pair}index.html
	check "switcher on /en/$pair leads to /$pair" contains "$p" "<li><a href=\"/sub/$pair\" hreflang=\"zh\" lang=\"zh\">中文</a></li>"
	check "hreflang zh on /en/$pair, absolute" contains "$p" "<link rel=\"alternate\" hreflang=\"zh\" href=\"https://example.org/sub/$pair\">"
	check "hreflang en on /en/$pair" contains "$p" "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/sub/en/$pair\">"
	check "x-default on /en/$pair" contains "$p" "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/sub/$pair\">"
done
check "a page's alternates are absolute" contains "$out/talks/both/index.html" '<link rel="alternate" hreflang="en" href="https://example.org/sub/en/talks/both/">'
check "canonical absolute" contains "$out/en/tags/vacuum/index.html" '<link rel="canonical" href="https://example.org/sub/en/tags/vacuum/">'
check "an untranslated page has no alternates" sh -c "! grep -q 'rel=\"alternate\" hreflang' '$out/talks/only-zh/index.html'"
check "the en term of an untranslated page has alternates" contains "$out/en/city/上海/index.html" 'hreflang="x-default"'

# 6. 404.html per language.
check "en/404.html in English" contains "$out/en/404.html" '<html lang="en">'
check "en/404.html searches in English" contains "$out/en/404.html" 'action="/sub/en/search/"'
check "404.html guesses the language from the path" contains "$out/404.html" 'new URL("404.html", u)'
check "en/404.html does not guess" sh -c "! grep -q 'new URL(\"404.html\"' '$out/en/404.html'"

# 5. Git dates: the commit's own day, else the site's timezone.
check "no timezone: the commit's own day" contains "$out/talks/both/index.html" '<time datetime="2025-07-23">2025年7月23日</time>'
check "sitemap lastmod: the same day" contains "$out/sitemap.xml" '<lastmod>2025-07-23</lastmod>'
check "feed instant unchanged (UTC)" contains "$out/atom.xml" '2025-07-22T21:40:00Z'

# 7. Taxonomies linked and reachable.
check "city linked on an event" contains "$out/events/small/index.html" '<dd><a href="/sub/city/杭州/">杭州</a></dd>'
check "city linked on a person" contains "$out/people/zm/index.html" '<a href="/sub/city/杭州/">杭州</a>'
check "city linked on a card" contains "$out/events/index.html" '<span><a href="/sub/city/上海/">上海</a></span>'
check "taxonomy indexes in the footer" contains "$out/en/index.html" '<li><a href="/sub/en/city/">City</a></li>'
check "home: all tags after the popular ones" contains "$out/index.html" '<li class="all-terms"><a href="/sub/tags/">全部标签</a></li>'
check "a speaker links to the person page" contains "$out/en/speakers/index.html" 'href="/sub/en/people/zm/"'
check "the speaker's term page redirects" contains "$out/en/speakers/zm/index.html" '<meta http-equiv="refresh" content="0; url=/sub/en/people/zm/">'
check "its canonical is the person page" contains "$out/en/speakers/zm/index.html" '<link rel="canonical" href="https://example.org/sub/en/people/zm/">'
check "the sitemap leaves it out" sh -c "! grep -q 'speakers/zm/' '$out/sitemap.xml'"
check "links check: the build had no warning" test ! -s "$T/err"

# With a site timezone, its calendar day.
printf 'timezone: UTC\n' >>"$site/site.yaml"
git -C "$site" commit -qam tz --date=2025-07-23T05:40:00+08:00
"$JIXIA" build "$site" -o "$T/out-utc" --now 2026-12-01 2>"$T/err"
check "timezone UTC: the day in UTC" contains "$T/out-utc/faq/q/index.html" '<time datetime="2025-07-22">'

# translations.fallback: false lists each language's own pages only.
printf 'translations: {fallback: false}\n' >>"$site/site.yaml"
"$JIXIA" build "$site" -o "$T/out-off" --now 2026-12-01 2>"$T/err"
check "fallback off: builds" test $? -eq 0
check "fallback off: no untranslated event in en" sh -c "! grep -q 'events/big/' '$T/out-off/en/events/index.html'"
check "fallback off: en term count 1" contains "$T/out-off/en/tags/index.html" 'vacuum <span class="count">1</span>'
check "fallback off: a term only one language has, no alternates" sh -c "! grep -q 'rel=\"alternate\" hreflang' '$T/out-off/city/上海/index.html'"
printf 'translations: {fallback: 1}\n' >"$T/bad.yaml"
cat "$site/site.yaml" | grep -v '^translations' >"$T/s.yaml"
cat "$T/bad.yaml" >>"$T/s.yaml"
cp "$T/s.yaml" "$site/site.yaml"
"$JIXIA" build "$site" -o "$T/out-bad" 2>"$T/err"
check "fallback: not a boolean is an error at its line" grep -q "site.yaml:[0-9]*:[0-9]*: error: 'fallback' must be true or false" "$T/err"

# --- in Chromium: the portal and a golden site (the default theme) ------------
if ! command -v chromium >/dev/null 2>&1 || [ ! -d "$here/browser/node_modules/playwright-core" ]; then
	fail "readers in Chromium" "need chromium and tests/browser/node_modules (make browser-deps as root)"
elif SOURCE_DATE_EPOCH=1795305600 "$JIXIA" build "$here/.." -o "$T/portal" 2>"$T/err" &&
	cp -R "$here/golden/venue/site" "$T/venue-site" &&
	SOURCE_DATE_EPOCH=1795305600 "$JIXIA" build "$T/venue-site" -o "$T/venue" 2>"$T/err"; then
	sub "readers in Chromium" sh -c "cd '$here/browser' && timeout 300 node readers.mjs '$T/portal' '$T/venue'"
	# axe-core, light and dark, on the English pages that list untranslated items
	# (a11y.mjs on its own checks the default language's page of each kind)
	sub "accessibility of the pages that list untranslated items" sh -c "cd '$here/browser' && timeout 300 node a11y.mjs '$T/portal' /en/ /en/events/ /en/tags/vacuum/ /en/people/zhao-min/ /en/city/杭州/ /en/404.html /en/talks/2024/"
else
	fail "portal and venue build" "$(cat "$T/err")"
fi
finish
