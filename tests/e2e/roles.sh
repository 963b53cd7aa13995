# roles.sh — type roles declared in site.yaml: a webinar type with the
# calendar role gets its .ics, joins events.ics, is a schema.org Event and
# fills a home section; a cfp type with role expires keeps its past items'
# pages but lists them nowhere; a replaced built-in type keeps its roles
# unless it gives its own; every bad role is an error at its site.yaml:line:col.
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
      expires: hosts
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
	"site.yaml:6:7: error: unknown role 'calender' (bounty, calendar, call, date, expires, groups, home, new_body, new_prefix, people, person, pictures, points, question, schema, tree or video); did you mean 'calendar'?" \
	"site.yaml:7:15: error: role 'schema' must be Event, FAQPage, TechArticle, Article, Person, Organization, JobPosting, SoftwareSourceCode or Place" \
	"site.yaml:8:23: error: role 'people': the part of 'hosts' must be author, speaker, organizer, volunteer or maintainer" \
	"site.yaml:8:29: error: role 'people' must name ref fields (or lists of refs); 'title' is a string" \
	"site.yaml:8:47: error: role 'people': 'related' refers to type 'webinar', whose items are not people (role person)" \
	"site.yaml:9:26: error: role 'pictures': type 'webinar' has no field 'banner'" \
	"site.yaml:10:13: error: role 'home': type 'talk' already has the home section 'latest_talks'" \
	"site.yaml:11:15: error: role 'points' must be a whole number from 0 to 1000000" \
	"site.yaml:12:13: error: role 'date' must name a date or datetime field; 'title' is a string" \
	"site.yaml:13:19: error: role 'new_prefix' must be year, month or day" \
	"site.yaml:14:13: error: role 'tree' must be true or false" \
	"site.yaml:15:16: error: role 'expires' must name a date or datetime field; 'hosts' is a list" \
	"site.yaml:23:19: error: role 'home' may not be 'pages': home pages already have that name" \
	"site.yaml:23:33: error: role 'video' must name a url field; 'title' is a string" \
	"site.yaml:28:12: error: 'roles' must be a mapping like {calendar: true}" \
	"site.yaml:31:23: error: role 'calendar' needs a date: type 'clip' has no date or datetime field 'date'"; do
	check "bad role: ${want#*error: }" grep -qxF -- "$want" "$v.err"
done
check "exactly the bad roles reported" test "$(grep -c ': error: ' "$v.err")" -eq 16

# Roles question, bounty and call (/help-wanted/) name fields of their kind.
q=$T/qroles
mkdir -p "$q/content"
cat >"$q/site.yaml" <<'EOF'
title: t
base_url: https://example.org/
types:
  ask:
    folder: asks
    roles: {question: state, bounty: title, call: title}
    fields:
      title: {type: string, required: true}
      state: {type: enum, values: [waiting, done]}
  ask2:
    folder: asks2
    roles: {question: title}
    fields:
      title: {type: string, required: true}
      cfp: {type: list, of: {type: call}}
EOF
"$JIXIA" check "$q" 2>"$q.err"
check "bad help-wanted roles exit 1" test $? -eq 1
for want in \
	"site.yaml:6:23: error: role 'question': field 'state' must have the value open (values: [open, answered])" \
	"site.yaml:6:38: error: role 'bounty' must name an int field; 'title' is a string" \
	"site.yaml:6:51: error: role 'call' must name a call field ({type: call}); 'title' is a string" \
	"site.yaml:12:23: error: role 'question' must name an enum field with the value open; 'title' is a string" \
	"site.yaml:15:29: error: a list of calls is not supported: one call per item"; do
	check "bad role: ${want#*error: }" grep -qxF -- "$want" "$q.err"
done

# Role expires on a site's own type: a call for proposals whose deadline
# (a datetime) has passed at the build time keeps its page, which says so,
# but no list, home section, term, back-reference, feed, search index or
# sitemap shows it; with no build time nothing expires.
c=$T/cfp
mkdir -p "$c/content/cfps" "$c/content/people" "$c/layouts"
cat >"$c/site.yaml" <<'EOF'
title: t
base_url: https://example.org/
timezone: Asia/Shanghai
taxonomies: [tags]
types:
  cfp:
    folder: cfps
    roles: {date: opens, expires: deadline, home: open_cfps}
    fields:
      title: {type: string, required: true}
      opens: {type: date, required: true}
      deadline: {type: datetime, required: true}
      contact: {type: ref, to: person}
      tags: {type: list, of: string}
EOF
printf -- '---\nname: 张伟\n---\n' >"$c/content/people/zhang-wei.md"
# --now 2024-06-01 is 08:00 in Shanghai: noon is still ahead, 07:00 is past.
printf -- '---\ntitle: 夏季大会征稿\nopens: 2024-05-01\ndeadline: 2024-06-01 12:00\ncontact: zhang-wei\ntags: [pg]\n---\n截止中午。\n' \
	>"$c/content/cfps/summer.md"
printf -- '---\ntitle: 春季沙龙征稿\nopens: 2024-03-01\ndeadline: 2024-06-01 07:00\ncontact: zhang-wei\ntags: [pg, spring]\n---\n已截止。\n' \
	>"$c/content/cfps/spring.md"
printf '{{<base}}{{$main}}<p id="x">{{#page.expired}}closed{{/page.expired}}{{^page.expired}}open{{/page.expired}}</p>{{/main}}{{/base}}\n' \
	>"$c/layouts/cfp.html"
printf '{{<base}}{{$main}}<ul id="c">{{#page.backrefs.cfp_contact}}<li>{{title}}</li>{{/page.backrefs.cfp_contact}}</ul>{{/main}}{{/base}}\n' \
	>"$c/layouts/person.html"
printf '{{<base}}{{$main}}<ul id="h">{{#open_cfps}}<li>{{title}}</li>{{/open_cfps}}</ul>{{/main}}{{/base}}\n' \
	>"$c/layouts/home.html"
o=$T/cfp-out
"$JIXIA" build "$c" -o "$o" --now 2024-06-01 2>"$T/cfp.err"
check "expires: a site type with the role builds" test $? -eq 0
check "expires: the past one's page stays and says so" contains "$o/cfps/spring/index.html" '<p id="x">closed</p>'
check "expires: ...and asks search engines not to index it" contains "$o/cfps/spring/index.html" '<meta name="robots" content="noindex">'
check "expires: the open one is open, to the minute" contains "$o/cfps/summer/index.html" '<p id="x">open</p>'
check "expires: the open one is indexed" sh -c "grep -q '<p id=\"x\">' '$o/cfps/summer/index.html' && ! grep -q noindex '$o/cfps/summer/index.html'"
check "expires: the list shows the open one only" sh -c \
	"grep -q '/cfps/summer/' '$o/cfps/index.html' && ! grep -q '/cfps/spring/' '$o/cfps/index.html'"
check "expires: the home section shows the open one only" contains "$o/index.html" '<ul id="h"><li>夏季大会征稿</li></ul>'
check "expires: no back-reference from the past one" contains "$o/people/zhang-wei/index.html" '<ul id="c"><li>夏季大会征稿</li></ul>'
check "expires: its terms are not terms: no /tags/spring/" test ! -e "$o/tags/spring"
check "expires: the term page lists the open one only" sh -c \
	"grep -q '/cfps/summer/' '$o/tags/pg/index.html' && ! grep -q '/cfps/spring/' '$o/tags/pg/index.html'"
check "expires: not in the feeds" sh -c "cat '$o/atom.xml' '$o/cfps/atom.xml' '$o/tags/pg/atom.xml' >'$T/cfp.feeds' &&
	test \$(grep -c '/cfps/summer/' '$T/cfp.feeds') -ge 3 && ! grep -q '/cfps/spring/' '$T/cfp.feeds'"
check "expires: not in the sitemap" sh -c \
	"grep -q 'cfps/summer/' '$o/sitemap.xml' && ! grep -q 'cfps/spring/' '$o/sitemap.xml'"
check "expires: the search index has the open one and the person only" \
	test "$(sed -n 's/^{"version":[0-9]*,"docs":\([0-9]*\).*/\1/p' "$o/search/index.json")" = 2
"$JIXIA" build "$c" -o "$T/cfp-nonow" 2>/dev/null
check "expires: with no build time nothing expires" sh -c \
	"grep -q '/cfps/spring/' '$T/cfp-nonow/cfps/index.html' && grep -q '<p id=\"x\">open</p>' '$T/cfp-nonow/cfps/spring/index.html'"
printf -- '---\ntitle: 错的\nopens: 2024-05-01\ndeadline: 2024-04-30 23:00\n---\n' >"$c/content/cfps/wrong.md"
"$JIXIA" check "$c" 2>"$T/cfp.err"
check "expires: a deadline before the date is an error at it" grep -qxF \
	"content/cfps/wrong.md:4:11: error: 'deadline' (2024-04-30 23:00) is before 'opens' (2024-05-01)" "$T/cfp.err"

# Role groups: a site's type whose list is one page of groups, in the order
# of its enum's values, the items without one last; an organisation of the
# site's own (schema Organization) lists whatever names it, by type and field.
g=$T/group
mkdir -p "$g/content/labs" "$g/content/papers"
cat >"$g/site.yaml" <<'EOF'
title: t
languages:
  - {code: en, default: true}
types:
  lab:
    folder: labs
    title: name
    roles: {groups: {field: true}, schema: Organization}
    fields:
      name: {type: string, required: true}
      field: {type: enum, values: [systems, theory, data]}
  paper:
    folder: papers
    fields:
      title: {type: string, required: true}
      lab: {type: ref, to: lab}
      cites: {type: list, of: {type: ref, to: lab}}
EOF
printf -- '---\nname: Zeta Lab\nfield: data\n---\n' >"$g/content/labs/zeta.md"
printf -- '---\nname: Alpha Lab\nfield: data\n---\n' >"$g/content/labs/alpha.md"
printf -- '---\nname: Kernel Lab\nfield: systems\n---\n' >"$g/content/labs/kernel.md"
printf -- '---\nname: Loose Lab\n---\n' >"$g/content/labs/loose.md"
printf -- '---\ntitle: On queues\nlab: kernel\ncites: [zeta]\n---\n' >"$g/content/papers/queues.md"
printf -- '---\ntitle: On logs\nlab: kernel\n---\n' >"$g/content/papers/logs.md"
mkdir -p "$g/layouts" && echo '{{>org}}' >"$g/layouts/lab.html" # the built-in org's layout
"$JIXIA" build "$g" -o "$T/group-out" 2>"$T/group.err"
check "group: builds" test $? -eq 0
sed -n '/<main/,/<\/main>/p' "$T/group-out/labs/index.html" | grep -o 'class="group" id="[^"]*"\|<h4 class="card-title"><a href="[^"]*"' |
	sed 's/class="group" //; s/<h4 class="card-title"><a href=//' | tr '\n' ' ' >"$T/group.order"
check "group: the groups in the enum's order (theory has none), in each the list's order, no value last" \
	test "$(cat "$T/group.order")" = 'id="field-systems" "/labs/kernel/" id="field-data" "/labs/alpha/" "/labs/zeta/" id="field" "/labs/loose/" '
check "group: the groups' jump links" contains "$T/group-out/labs/index.html" \
	'<li><a href="#field-systems">systems <span class="count">1</span></a></li><li><a href="#field-data">data <span class="count">2</span></a></li><li><a href="#field">Other <span class="count">1</span></a></li>'
check "group: one page, however many items" test ! -e "$T/group-out/labs/page/2/index.html"
check "referenced_by: a section per referring type and field" contains "$T/group-out/labs/kernel/index.html" \
	'<h2 id="refs-paper-lab">papers <span class="count">2</span></h2>'
check "referenced_by: the other field apart" sh -c "grep -q 'refs-paper-cites' '$T/group-out/labs/zeta/index.html' && ! grep -q 'refs-paper-lab' '$T/group-out/labs/zeta/index.html'"
check "referenced_by: nothing for a page no one names" sh -c "! grep -q 'refs-' '$T/group-out/labs/alpha/index.html'"
check "schema Organization: the lab's JSON-LD" contains "$T/group-out/labs/kernel/index.html" '"@type":"Organization","name":"Kernel Lab","url":"/labs/kernel/"'

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
check "groups: the most used value first, linked to its term page, the items without one last" \
	test "$(ids tags)" = 'id="tags-quiet" id="tags-quiet-title" id="tags-stage" id="tags-stage-title" id="tags-title" '
check "groups: the items without a value: group_other, no term page" contains "$list" '<h3 id="tags-title">Other <span class="count">1</span></h3>'
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
	"site.yaml:17:38: error: role 'schema' must be Event, FAQPage, TechArticle, Article, Person, Organization, JobPosting, SoftwareSourceCode or Place"; do
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


# Role groups on an enum: a site's own type is a catalogue like the
# projects, with the tags its items carry; a replaced project type keeps
# its groups while its field can be grouped, else is a paginated list again.
g=$T/books
mkdir -p "$g/content/books"
cat >"$g/site.yaml" <<'EOF'
title: t
paginate: 1
taxonomies: [tags]
types:
  book:
    folder: books
    roles: {groups: {format: true}}
    fields:
      title: {type: string, required: true}
      format: {type: enum, values: [paper, ebook, audio]}
      tags: {type: list, of: string}
EOF
printf -- '---\ntitle: B\nformat: ebook\ntags: [pg]\n---\n' >"$g/content/books/b.md"
printf -- '---\ntitle: A\nformat: ebook\ntags: [pg, sql]\n---\n' >"$g/content/books/a.md"
printf -- '---\ntitle: C\nformat: paper\n---\n' >"$g/content/books/c.md"
printf -- '---\ntitle: D\n---\n' >"$g/content/books/d.md"
"$JIXIA" build "$g" -o "$T/books-out" 2>"$T/books.err"
check "group: builds" test $? -eq 0
check "group: one page whatever paginate says" test ! -e "$T/books-out/books/page/2/index.html"
sed -n '/<main/,/<\/main>/p' "$T/books-out/books/index.html" |
	grep -o 'class="group" id="format[a-z-]*"\|card-title"><a href="[^"]*"' | sed 's/class="group" //' | tr '\n' ' ' >"$T/books.order"
check "group: groups in the order of the values, the items without one last, titles in order" \
	test "$(cat "$T/books.order")" = 'id="format-paper" card-title"><a href="/books/c/" id="format-ebook" card-title"><a href="/books/a/" card-title"><a href="/books/b/" id="format" card-title"><a href="/books/d/" '
check "group: the tags of its items, with their counts, lead to the term pages" \
	contains "$T/books-out/books/index.html" '<li><a href="/tags/pg/">pg <span class="count">2</span></a></li><li><a href="/tags/sql/">sql <span class="count">1</span></a></li>'
mkdir -p "$g/content/projects"
cat >"$g/site.yaml" <<'EOF'
title: t
paginate: 1
types:
  project:
    folder: projects
    fields:
      name: {type: string, required: true}
      category: {type: string}
EOF
rm -r "$g/content/books"
printf -- '---\nname: P\ncategory: anything\n---\n' >"$g/content/projects/p.md"
printf -- '---\nname: Q\n---\n' >"$g/content/projects/q.md"
"$JIXIA" build "$g" -o "$T/books-out2" 2>"$T/books.err"
check "group: a replaced project type whose category is a string is grouped by its values, on one page" \
	sh -c "test ! -e '$T/books-out2/projects/page/2/index.html' && grep -q 'class=\"group\" id=\"category-anything\"' '$T/books-out2/projects/index.html'"
sed -i 's/category: {type: string}/category: {type: text}/' "$g/site.yaml"
"$JIXIA" build "$g" -o "$T/books-out3" 2>"$T/books.err"
check "group: a replaced project type whose category cannot be grouped (a text) is a paginated list again" \
	test $? -eq 0 -a -e "$T/books-out3/projects/page/2/index.html"

finish
