# roles.sh — type roles declared in site.yaml: a webinar type with the
# calendar role gets its .ics, joins events.ics, is a schema.org Event and
# fills a home section; a replaced built-in type keeps its roles unless it
# gives its own; every bad role is an error at its site.yaml:line:col.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

s=$T/webinar
mkdir -p "$s/content/people" "$s/content/webinars" "$s/layouts"
cat >"$s/site.yaml" <<'EOF'
title: t
languages:
  - {code: zh, default: true}
  - {code: en}
timezone: Asia/Shanghai
types:
  webinar:
    folder: webinars
    roles:
      calendar: true
      schema: Event
      date: starts
      people: {hosts: organizer, speakers: speaker}
      pictures: [poster]
      home: upcoming_webinars
      new_prefix: month
      new_body: "TODO: what the webinar covers."
    fields:
      title: {type: string, required: true}
      starts: {type: datetime, required: true}
      online_url: {type: url}
      hosts: {type: list, of: {type: ref, to: person}}
      speakers: {type: list, of: {type: ref, to: person}}
      poster: {type: url}
EOF
printf -- '---\nname: 张伟\n---\n' >"$s/content/people/zhang-wei.md"
printf -- '---\nname: 李雷\n---\n' >"$s/content/people/li-lei.md"
printf -- '---\ntitle: 真空线上讲\nstarts: 2024-07-10 20:00\nonline_url: https://example.org/live\nhosts: [zhang-wei]\nspeakers: [li-lei]\nposter: https://example.org/poster.png\n---\n讲 VACUUM。\n' \
	>"$s/content/webinars/2024-07-vacuum.md"
printf -- '---\ntitle: 旧的一讲\nstarts: 2024-01-05 19:30\n---\n旧。\n' >"$s/content/webinars/2024-01-old.md"
printf '{{<base}}{{$main}}<p id="cal">{{page.calendar_url}}</p><p id="date">{{page.date}}</p>{{/main}}{{/base}}\n' \
	>"$s/layouts/webinar.html"
printf '{{<base}}{{$main}}<ul id="next">{{#upcoming_webinars}}<li>{{title}}</li>{{/upcoming_webinars}}</ul>{{/main}}{{/base}}\n' \
	>"$s/layouts/home.html"
o=$T/webinar-out
"$JIXIA" build "$s" -o "$o" --now 2024-06-01 2>"$T/webinar.err"
check "a site type with roles builds" test $? -eq 0
page=$o/webinars/2024-07-vacuum/index.html
check "calendar: the webinar has its own .ics" contains "$o/webinars/2024-07-vacuum.ics" 'BEGIN:VEVENT'
check "calendar: its start is the date field (role date), in UTC" contains "$o/webinars/2024-07-vacuum.ics" 'DTSTART:20240710T120000Z'
check "calendar: the language's events.ics holds both webinars" test "$(grep -c 'BEGIN:VEVENT' "$o/events.ics")" -eq 2
check "calendar: page.calendar_url" contains "$page" '<p id="cal">/webinars/2024-07-vacuum.ics</p>'
check "calendar: the list links events.ics" contains "$o/webinars/index.html" 'href="/events.ics" type="text/calendar"'
check "calendar: upcoming and past at the build day" sh -c \
	"sed -n '/list-section upcoming/,/<\/section>/p' '$o/webinars/index.html' | grep -q 2024-07-vacuum &&
	 ! sed -n '/list-section upcoming/,/<\/section>/p' '$o/webinars/index.html' | grep -q 2024-01-old"
check "date: page.date is the starts field" contains "$page" '<p id="date">2024-07-10 20:00</p>'
check "date: a year archive" test -f "$o/webinars/2024/index.html"
check "schema: an Event in JSON-LD" contains "$page" '"@type":"Event","name":"真空线上讲"'
check "schema: the start date" contains "$page" '"startDate":"2024-07-10T20:00:00+08:00"'
check "people: hosts are the organizer" contains "$page" '"organizer":[{"@type":"Person","name":"张伟","url":"/people/zhang-wei/"}]'
check "people: speakers are the performer" contains "$page" '"performer":[{"@type":"Person","name":"李雷","url":"/people/li-lei/"}]'
check "pictures: the poster is og:image" contains "$page" '<meta property="og:image" content="https://example.org/poster.png">'
check "home: the section holds the upcoming webinar only" contains "$o/index.html" '<ul id="next"><li>真空线上讲</li></ul>'
check "ics files read back" /usr/bin/python3 -c "
import sys, icalendar
for f in sys.argv[1:]:
    icalendar.Calendar.from_ical(open(f, 'rb').read())
" "$o/webinars/2024-07-vacuum.ics" "$o/events.ics"
cp -r "$s" "$T/new"
"$JIXIA" new webinar "Deep Dive" --dir "$T/new" --date 2024-05-18 >"$T/new.out" 2>/dev/null
check "new_prefix: jixia new names the file by the month" test -f "$T/new/content/webinars/2024-05-deep-dive.md"
check "new_body: jixia new invites the body" contains "$T/new/content/webinars/2024-05-deep-dive.md" 'TODO: what the webinar covers.'

# A built-in type replaced in site.yaml keeps its roles; roles: {} drops them.
r=$T/replace
mkdir -p "$r/content/events"
printf -- '---\ntitle: 见面会\ndate: 2024-07-01\n---\n' >"$r/content/events/2024-07-hz.md"
printf 'title: t\ntypes:\n  event:\n    folder: events\n    fields:\n      title: {type: string}\n      date: {type: date}\n' >"$r/site.yaml"
"$JIXIA" build "$r" -o "$T/replace-out" 2>/dev/null
check "a replaced event keeps the calendar role" test -f "$T/replace-out/events/2024-07-hz.ics"
printf '    roles: {}\n' >>"$r/site.yaml"
"$JIXIA" build "$r" -o "$T/replace-out2" 2>/dev/null
check "roles: {} leaves the replaced event without a calendar" test ! -e "$T/replace-out2/events/2024-07-hz.ics"

# Bad roles: each at its line:col, all in one run.
v=$T/bad
mkdir -p "$v/content"
cat >"$v/site.yaml" <<'EOF'
title: t
types:
  webinar:
    folder: webinars
    roles:
      calender: true
      schema: Webinar
      people: {hosts: host, title: organizer, related: author}
      pictures: [poster, banner]
      home: latest_talks
      points: -1
      date: title
      new_prefix: week
      tree: maybe
    fields:
      title: {type: string, required: true}
      hosts: {type: list, of: {type: ref, to: person}}
      related: {type: list, of: {type: ref, to: webinar}}
      poster: {type: url}
  meetup:
    folder: meetups
    roles: {home: pages, video: title}
    fields:
      title: {type: string}
  stream:
    folder: streams
    roles: [calendar]
  clip:
    folder: clips
    roles: {calendar: true}
    fields:
      title: {type: string}
EOF
"$JIXIA" check "$v" 2>"$v.err"
check "bad roles exit 1" test $? -eq 1
for want in \
	"site.yaml:6:7: error: unknown role 'calender' (calendar, date, groups, home, new_body, new_prefix, people, person, pictures, points, schema, tree or video); did you mean 'calendar'?" \
	"site.yaml:7:15: error: role 'schema' must be Event, FAQPage, TechArticle, Article, Person or Place" \
	"site.yaml:8:23: error: role 'people': the part of 'hosts' must be author, speaker, organizer or volunteer" \
	"site.yaml:8:29: error: role 'people' must name ref fields (or lists of refs); 'title' is a string" \
	"site.yaml:8:47: error: role 'people': 'related' refers to type 'webinar', whose items are not people (role person)" \
	"site.yaml:9:26: error: role 'pictures': type 'webinar' has no field 'banner'" \
	"site.yaml:10:13: error: role 'home': type 'talk' already has the home section 'latest_talks'" \
	"site.yaml:11:15: error: role 'points' must be a whole number from 0 to 1000000" \
	"site.yaml:12:13: error: role 'date' must name a date or datetime field; 'title' is a string" \
	"site.yaml:13:19: error: role 'new_prefix' must be year, month or day" \
	"site.yaml:14:13: error: role 'tree' must be true or false" \
	"site.yaml:22:19: error: role 'home' may not be 'pages': home pages already have that name" \
	"site.yaml:22:33: error: role 'video' must name a url field; 'title' is a string" \
	"site.yaml:27:12: error: 'roles' must be a mapping like {calendar: true}" \
	"site.yaml:30:23: error: role 'calendar' needs a date: type 'clip' has no date or datetime field 'date'"; do
	check "bad role: ${want#*error: }" grep -qxF -- "$want" "$v.err"
done
check "exactly the bad roles reported" test "$(grep -c ': error: ' "$v.err")" -eq 15

# A site's own type can be a venue in every way: a Place, its photos a
# gallery, its list one page of groups (by an enum in value order, by the
# ranges of an int, by each of a list's strings), each group's anchor.
g=$T/rooms
mkdir -p "$g/content/rooms"
cat >"$g/site.yaml" <<'EOF'
title: t
paginate: 1
taxonomies: [tags]
types:
  room:
    folder: rooms
    roles:
      schema: Place
      pictures: [shots]
      groups: {floor: true, seats: [10, 50], tags: true}
    fields:
      title: {type: string, required: true}
      floor: {type: enum, values: [ground, first, second]}
      seats: {type: int}
      tags: {type: list, of: string}
      shots: {type: list, of: url}
EOF
printf -- '---\ntitle: Small\nfloor: second\nseats: 8\ntags: [quiet]\nshots: [https://example.org/a.png, https://example.org/b.png]\n---\n' >"$g/content/rooms/small.md"
printf -- '---\ntitle: Hall\nfloor: ground\nseats: 200\ntags: [quiet, stage]\n---\n' >"$g/content/rooms/hall.md"
printf -- '---\ntitle: Mid\nfloor: ground\nseats: 50\n---\n' >"$g/content/rooms/mid.md"
"$JIXIA" build "$g" -o "$T/rooms-out" 2>"$T/rooms.err"
check "groups: a site type with groups builds" test $? -eq 0
list=$T/rooms-out/rooms/index.html
ids() { grep -o "id=\"$1-[a-z0-9-]*\"" "$list" | tr '\n' ' '; }
check "groups: one page whatever paginate says" test ! -e "$T/rooms-out/rooms/page/2/index.html"
check "groups: each field's nav leads to its groups" contains "$list" '<a href="#seats-11-50">11–50 <span class="count">1</span></a>'
check "groups: an enum's groups in value order, empty ones left out" test "$(ids floor)" = 'id="floor-ground" id="floor-ground-title" id="floor-second" id="floor-second-title" '
check "groups: ranges ascending, open at both ends" test "$(ids seats)" = 'id="seats-to-10" id="seats-to-10-title" id="seats-11-50" id="seats-11-50-title" id="seats-51-up" id="seats-51-up-title" '
check "groups: a range's name (range_upto)" contains "$list" '<h3 id="seats-to-10-title">Up to 10 <span class="count">1</span></h3>'
check "groups: the most used value first, linked to its term page" test "$(ids tags)" = 'id="tags-quiet" id="tags-quiet-title" id="tags-stage" id="tags-stage-title" '
check "groups: a value's term page" contains "$list" '<h3 id="tags-quiet-title"><a href="/tags/quiet/">quiet</a> <span class="count">2</span></h3>'
check "groups: a group's items in list order" test "$(sed -n '/id="floor-ground"/,/<\/section>/p' "$list" | grep -o 'href="/rooms/[a-z]*/"' | tr '\n' ' ')" = 'href="/rooms/hall/" href="/rooms/mid/" '
check "schema Place: the room's JSON-LD" contains "$T/rooms-out/rooms/small/index.html" '"@type":"Place","name":"Small","url":"/rooms/small/","image":["https://example.org/a.png","https://example.org/b.png"]'
check "pictures: a list's first url is the card's picture" contains "$list" 'class="card-cover" src="https://example.org/a.png"'

# Bad groups and pictures: each at its line:col.
b=$T/badgroups
mkdir -p "$b/content"
cat >"$b/site.yaml" <<'EOF'
title: t
types:
  room:
    folder: rooms
    roles:
      groups: {flor: true, seats: [50, 10], title: maybe, shots: true, notes: true}
      pictures: [tags]
    fields:
      title: {type: string}
      floor: {type: string}
      seats: {type: int}
      shots: {type: list, of: url}
      tags: {type: list, of: string}
      notes: {type: text}
  hall:
    folder: halls
    roles: {groups: [seats], schema: Plaza}
    fields:
      seats: {type: int}
EOF
"$JIXIA" check "$b" 2>"$b.err"
check "bad groups exit 1" test $? -eq 1
for want in \
	"site.yaml:6:16: error: role 'groups': type 'room' has no field 'flor'; did you mean 'floor'?" \
	"site.yaml:6:40: error: role 'groups': the ranges of 'seats' must be whole numbers in ascending order" \
	"site.yaml:6:52: error: role 'groups': 'title' is grouped by its values: write title: true" \
	"site.yaml:6:59: error: role 'groups' groups by string, enum or int fields (or lists of strings or enums); 'shots' is a list" \
	"site.yaml:6:72: error: role 'groups' groups by string, enum or int fields (or lists of strings or enums); 'notes' is a text" \
	"site.yaml:7:18: error: role 'pictures' must name url fields or lists of urls; 'tags' is a list of string" \
	"site.yaml:17:21: error: role 'groups' must be a mapping of at most 8 fields, like {city: true, capacity: [30, 100, 300]}" \
	"site.yaml:17:38: error: role 'schema' must be Event, FAQPage, TechArticle, Article, Person or Place"; do
	check "bad groups: ${want#*error: }" grep -qxF -- "$want" "$b.err"
done
check "exactly the bad groups reported" test "$(grep -c ': error: ' "$b.err")" -eq 8

# A calendar type whose pages have no date yet: no calendar is written, so
# the list must not link one.
u=$T/undated
mkdir -p "$u/content/webinars"
cat >"$u/site.yaml" <<'EOF'
title: t
languages:
  - {code: zh, default: true}
types:
  webinar:
    folder: webinars
    roles: {calendar: true, date: starts}
    fields:
      title: {type: string, required: true}
      starts: {type: datetime}
EOF
printf -- '---\ntitle: 待定\n---\n时间待定。\n' >"$u/content/webinars/tbd.md"
"$JIXIA" build "$u" -o "$T/undated-out" 2>"$T/undated.err"
check "undated: builds" test $? -eq 0
check "undated: no events.ics" test ! -e "$T/undated-out/events.ics"
check "undated: the list links no calendar" sh -c "! grep -q 'text/calendar' '$T/undated-out/webinars/index.html'"

finish
