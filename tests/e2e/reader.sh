# reader.sh — what a reader meets (issue 18, items 10-16) on tests/reader/site
# and on the portal: event times in their zone (page, JSON-LD, iCalendar read
# back by python3-icalendar), "ended" and no registration once over, a bad
# timezone or time at its line:col; video players for YouTube, Bilibili and
# Vimeo only; code blocks highlighted per language, unknown ones plain, every
# <pre> focusable; the people directory in pinyin order (a sort_key for a
# name read wrongly) on one page, not 10 + 3; og:image a raster picture or
# none; then tests/browser/reader.mjs in headless Chromium (search page,
# light/dark toggle, events, video facades).
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

cp -R "$here/reader/site" "$T/site"
if ! "$JIXIA" build "$T/site" -o "$T/out" --now 2026-11-22 2>"$T/err"; then
	fail "fixture builds" "$(cat "$T/err")"
	finish
	exit 1
fi
ok "fixture builds"
o=$T/out

# --- 10: event times ---------------------------------------------------------
e=$o/events/future-meetup/index.html
check "event: start and end time, the zone named" contains "$e" '<span class="nowrap">14:00</span> – <span class="nowrap">17:30</span> <span class="meta-note">Europe/Berlin (UTC+01:00)</span>'
check "event: JSON-LD start at the zone's offset" contains "$e" '"startDate":"2027-03-20T14:00:00+01:00","endDate":"2027-03-20T17:30:00+01:00"'
check "event: daylight saving of its own date (Berlin in July)" contains "$o/events/summer/index.html" '"startDate":"2027-07-01T10:00:00+02:00"'
check "event: a written offset is shown as it is" contains "$o/events/offset/index.html" '<span class="nowrap">09:30</span> <span class="meta-note">UTC+02:00</span>'
check "event: a day without a time stays a day" contains "$o/events/allday/index.html" '"startDate":"2026-12-05"'
check "event: talks list their start time" contains "$e" '<p class="talk-time"><time datetime="2027-03-20 14:30">14:30</time></p>'
check "event: its talks in the order of their times" sh -c "grep -o 'talk-time\"><time datetime=\"[^\"]*' '$e' | tr '\n' ' ' | grep -q '14:30.*15:30'"
check "upcoming event: registration" contains "$e" 'href="https://example.org/register/berlin"'
check "past event: ended" contains "$o/events/past-qa/index.html" 'class="badge badge-ended"'
check "past event: no registration button" sh -c "! grep -q 'class=\"button\" href=\"https://example.org/register/qa\"' '$o/events/past-qa/index.html'"
check "calendar: timed events in UTC" /usr/bin/python3 -c '
import sys, icalendar, datetime
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
got = {str(ev["SUMMARY"]): ev.decoded("DTSTART") for ev in cal.walk("VEVENT")}
utc = datetime.timezone.utc
want = {"柏林线下聚会": datetime.datetime(2027, 3, 20, 13, 0, tzinfo=utc),
	"夏令时的聚会": datetime.datetime(2027, 7, 1, 8, 0, tzinfo=utc),
	"写明偏移的活动": datetime.datetime(2026, 12, 1, 7, 30, tzinfo=utc),
	"线上答疑：排序与编码": datetime.datetime(2025, 3, 12, 12, 0, tzinfo=utc),
	"全天活动": datetime.date(2026, 12, 5)}
sys.exit(0 if got == want else "%r" % got)' "$o/events.ics"
check "calendar: the end too" /usr/bin/python3 -c '
import sys, icalendar, datetime
ev = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read()).walk("VEVENT")[0]
sys.exit(0 if ev.decoded("DTEND") == datetime.datetime(2027, 3, 20, 16, 30, tzinfo=datetime.timezone.utc) else repr(ev.decoded("DTEND")))' "$o/events/future-meetup.ics"

# A timezone that is no zone (a path out of the database), a time that is no time.
mkdir -p "$T/bad/content/events"
cp "$T/site/site.yaml" "$T/bad/"
printf -- '---\ntitle: A\ndate: 2025-03-12 20:00\ntimezone: ../../../etc/passwd\nkind: meetup\n---\nx\n' >"$T/bad/content/events/a.md"
printf -- '---\ntitle: B\ndate: 2025-03-12 24:00\nkind: meetup\n---\nx\n' >"$T/bad/content/events/b.md"
"$JIXIA" check "$T/bad" 2>"$T/bad.err"
rc=$?
check "bad timezone: exit 1" [ "$rc" -eq 1 ]
check "bad timezone: at its line:col" contains "$T/bad.err" "content/events/a.md:4:11: error: 'timezone' must be a time zone of the system's database like Asia/Shanghai, not '../../../etc/passwd'"
check "bad time: at its line:col" contains "$T/bad.err" "content/events/b.md:3:7: error: 'date' must be a real date as YYYY-MM-DD, or a date and time"

# --- 11: video players ---------------------------------------------------------
check "YouTube: the privacy-enhanced player" contains "$o/events/past-qa/index.html" 'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"'
check "Bilibili: the player by BV id" contains "$o/talks/bilibili/index.html" 'data-player="https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&amp;autoplay=1"'
check "Vimeo: the player" contains "$o/talks/vimeo/index.html" 'data-player="https://player.vimeo.com/video/76979871?autoplay=1"'
check "elsewhere: no player" sh -c "! grep -q 'video-facade' '$o/talks/elsewhere/index.html'"
check "no page loads a player before it is asked" sh -c "! grep -rq '<iframe' '$o'"

# --- 12: code blocks -------------------------------------------------------------
c=$o/docs/code/index.html
check "sql highlighted" contains "$c" '<span class="hl-c">-- 找出膨胀最严重的表</span>
<span class="hl-k">SELECT</span> relname, n_dead_tup <span class="hl-k">FROM</span> pg_stat_user_tables'
check "shell highlighted" contains "$c" '<span class="hl-s">&quot;$BACKUP_DIR&quot;</span> -Ft -z -P  <span class="hl-c"># 全量备份</span>'
check "yaml highlighted" contains "$c" '<span class="hl-a">use_pg_rewind</span>: <span class="hl-k">true</span>'
check "json highlighted" contains "$c" '{<span class="hl-a">&quot;port&quot;</span>: <span class="hl-n">5432</span>, <span class="hl-a">&quot;ssl&quot;</span>: <span class="hl-k">false</span>}'
check "c highlighted" contains "$c" '<span class="hl-p">#include &lt;libpq-fe.h&gt;</span>'
check "python highlighted" contains "$c" '<span class="hl-k">def</span> fetch(conn):'
check "go highlighted" contains "$c" '<span class="hl-k">func</span> main() { <span class="hl-k">var</span> n <span class="hl-t">int64</span> = <span class="hl-n">42</span> }'
check "java highlighted" contains "$c" '<span class="hl-k">public</span> <span class="hl-k">class</span> Main { <span class="hl-t">String</span> s = <span class="hl-k">null</span>; }'
check "diff highlighted" contains "$c" '<span class="hl-d">-shared_buffers = 128MB</span>
<span class="hl-i">+shared_buffers = 8GB</span>'
check "unknown language plain" contains "$c" '<pre tabindex="0"><code class="language-ini">[pgbouncer]
pool_mode = transaction
</code></pre>'
check "every <pre> focusable (it scrolls)" sh -c "[ \$(grep -c '<pre>' '$c') -eq 0 ] && [ \$(grep -c '<pre tabindex=\"0\">' '$c') -eq 11 ]"
check "the stylesheet scrolls code, not wraps" sh -c "grep -A12 '^.prose pre {' '$o/assets/style.css' | grep -q 'overflow-x: auto'"

# --- 14: people directory ----------------------------------------------------------
names=$(grep -o '<h[23] class="card-title">.*</h[23]>' "$o/people/index.html" | sed 's/<[^>]*>//g' | tr '\n' ' ')
check "people: pinyin order, Latin names among them, a sort_key for 曾 (Zeng)" [ "$names" = "安宁 Bruce Momjian 陈杰 黄磊 李娜 刘洋 马骏 孙浩 王芳 吴晓雨 曾琪 张伟 赵敏 " ]
[ "$names" = "安宁 Bruce Momjian 陈杰 黄磊 李娜 刘洋 马骏 孙浩 王芳 吴晓雨 曾琪 张伟 赵敏 " ] || echo "  got: $names"
check "people: 13 at 10 a page are one page" sh -c "[ ! -e '$o/people/page/2' ]"

# --- 15: og:image --------------------------------------------------------------------
check "og:image: the raster photo, not the SVG cover" contains "$e" '<meta property="og:image" content="https://example.org/events/future-meetup/photo.png">'
check "og:image: none when only an SVG" sh -c "! grep -q 'og:image' '$o/events/past-qa/index.html'"
check "og:image: never an SVG anywhere" sh -c "! grep -rq 'og:image\" content=\"[^\"]*\\.svg' '$o'"

# --- the browser: the portal's search page and toggle, the fixture's events and videos ---
if ! command -v chromium >/dev/null 2>&1 || [ ! -d "$here/browser/node_modules/playwright-core" ]; then
	fail "reader pages in Chromium" "need chromium and tests/browser/node_modules (make browser-deps as root)"
	finish
	exit 1
fi
if ! SOURCE_DATE_EPOCH=1795305600 "$JIXIA" build "$here/.." -o "$T/portal" 2>"$T/perr"; then
	fail "portal builds" "$(cat "$T/perr")"
	finish
	exit 1
fi
out=$(cd "$here/browser" && timeout 400 node reader.mjs "$T/portal" "$o" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^ok ' | grep -v 'passed, [0-9]* failed$'
p=$(printf '%s\n' "$out" | sed -n 's/^reader-browser: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$out" | sed -n 's/^reader-browser: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
	fail "reader pages in Chromium" "no summary (exit $rc)"
else
	pass=$((pass + p))
	failn=$((failn + f))
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || fail "reader pages in Chromium" "exit $rc"
	echo "ok reader pages in Chromium ($p passed, $f failed)"
fi
finish
