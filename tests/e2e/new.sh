# new.sh — `jixia new` end to end: every built-in type scaffolds a file
# that check accepts (a talk only lacks its speakers), names made from
# titles, hostile titles that read back exactly, translations, and the
# refusals: existing files, unknown types and languages, unsafe slugs,
# symlinks out of content/.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

SOURCE_DATE_EPOCH=1718000000 # 2024-06-10
export SOURCE_DATE_EPOCH

site=$T/site
mkdir -p "$site"
cat >"$site/site.yaml" <<'Y'
title: Test Community
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
Y

# Types whose required fields all have honest placeholders pass check as written.
for t in faq doc person case event org project; do
	"$JIXIA" new "$t" "Getting started with $t" --dir "$site" >"$T/out" 2>"$T/err"
	check "new $t exits 0" test $? -eq 0
	path=$(cat "$T/out")
	check "new $t prints the file it wrote" test -f "$path"
	check "new $t writes the title" contains "$path" "\"Getting started with $t\""
	cp "$T/err" "$T/err.$t"
done
check "faq path from title" test -f "$site/content/faq/getting-started-with-faq.md"
check "person's title field is name" contains "$site/content/people/getting-started-with-person.md" 'name: "Getting started with person"'
check "case company placeholder" contains "$site/content/cases/getting-started-with-case.md" 'company: "TODO"'
check "optional fields shown commented" contains "$site/content/faq/getting-started-with-faq.md" '# tags: []'
check "ref list hint" contains "$site/content/faq/getting-started-with-faq.md" '# answered_by: []  # ids of person items, e.g. content/people/ID.md'
check "event date prefix YYYY-MM- from SOURCE_DATE_EPOCH" test -f "$site/content/events/2024-06-getting-started-with-event.md"
check "event date placeholder" contains "$site/content/events/2024-06-getting-started-with-event.md" 'date: 2024-06-10'
check "event kind is the first value, all listed" contains "$site/content/events/2024-06-getting-started-with-event.md" 'kind: meetup  # one of: meetup, tea,'
check "case company is a TODO" contains "$T/err.case" 'fill in company'
org=$site/content/orgs/getting-started-with-org.md
check "org: in orgs/, its title field is name" contains "$org" 'name: "Getting started with org"'
check "org: kind is the first value, all listed" contains "$org" 'kind: company  # one of: company, university, foundation, community, government'
check "org: logo optional (a file beside it too), the body invited" \
	sh -c "grep -qxF '# logo: https://  # or an image beside this file: logo.jpg' '$org' && grep -qF 'TODO: what the organisation does' '$org'"
check "person: org shown, commented" contains "$site/content/people/getting-started-with-person.md" '# org: ID  # the id of an org item, e.g. content/orgs/ID.md'
proj=$site/content/projects/getting-started-with-project.md
check "project category is the first category, all listed" contains "$proj" 'category: extension  # one of: extension, tool, orm, driver, cloud, fork, application'
check "project license: an SPDX id as the example" contains "$proj" '# license: MIT  # an SPDX license id (MIT, Apache-2.0, PostgreSQL, GPL-2.0-or-later...) or "MIT OR Apache-2.0"'
check "project maintainers: ids of people" contains "$proj" '# maintainers: []  # ids of person items, e.g. content/people/ID.md'
check "project: org shown, commented" contains "$proj" '# org: ID  # the id of an org item, e.g. content/orgs/ID.md'
"$JIXIA" check "$site" 2>"$T/err"
check "faq, doc, person, case, event, org, project scaffolds pass check" test $? -eq 0
# the optional fields as they would be once uncommented, the license too
sed 's/^# \(license\|status\|repository\):/\1:/; s/^repository: https:\/\/$/repository: https:\/\/code.example.org\/p/' "$proj" >"$T/proj" && cp "$T/proj" "$proj"
"$JIXIA" check "$site" 2>"$T/err"
check "a project scaffold with its license, status and repository filled in passes check" test $? -eq 0
check "the license line was uncommented" grep -q '^license: MIT  #' "$proj"

# A venue is a folder of its own with --bundle: its photos go beside it.
"$JIXIA" new venue "Tsinghua FIT 1-312" --bundle --dir "$site" >"$T/out" 2>"$T/err"
check "new venue exits 0" test $? -eq 0
venue=$site/content/venues/tsinghua-fit-1-312/index.md
check "new venue --bundle writes NAME/index.md" test "$(cat "$T/out")" = "$venue"
check "venue's title field is name" contains "$venue" 'name: "Tsinghua FIT 1-312"'
check "venue city is a TODO" contains "$T/err" 'fill in city'
check "venue photos: a gallery beside the file" contains "$venue" '# photos: []  # images beside this file (a folder: jixia new --bundle), e.g. [photos/1.jpg]'
check "venue contact: a person or text" contains "$venue" '# contact: ID  # the id of a person item, e.g. content/people/ID.md, or text'
check "venue equipment: each value listed" contains "$venue" '# equipment: []  # each one of: projector, screen, microphone, sound, streaming,'
check "venue body invites the description" contains "$venue" 'TODO: the room, how to get there'
# Filled in as a contributor would: photos beside it, an event held there.
mkdir -p "$site/content/venues/tsinghua-fit-1-312/photos"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>' >"$site/content/venues/tsinghua-fit-1-312/photos/1.svg"
sed -e 's/^city: .*/city: 北京/' -e 's/^# photos: .*/photos: [photos\/1.svg]/' -e 's/^# capacity: .*/capacity: 80/' "$venue" >"$T/v" && cp "$T/v" "$venue"
sed 's/^# venue: .*/venue: tsinghua-fit-1-312/' "$site/content/events/2024-06-getting-started-with-event.md" >"$T/e" &&
	cp "$T/e" "$site/content/events/2024-06-getting-started-with-event.md"
"$JIXIA" build "$site" -o "$T/venue-out" 2>"$T/err"
check "venue filled in builds" test $? -eq 0
check "venue page shows its photo" contains "$T/venue-out/venues/tsinghua-fit-1-312/index.html" 'src="/venues/tsinghua-fit-1-312/photos/1.svg"'
check "venue page lists the event held there" contains "$T/venue-out/venues/tsinghua-fit-1-312/index.html" 'href="/events/2024-06-getting-started-with-event/"'
check "venue card's cover is its first photo" contains "$T/venue-out/venues/index.html" 'class="card-cover" src="/venues/tsinghua-fit-1-312/photos/1.svg" alt="" width="40" height="30"' 

# A talk needs speakers only the contributor knows: check reports exactly that.
"$JIXIA" new talk "VACUUM in depth" --dir "$site" --date 2023-04-20 >"$T/out" 2>"$T/err"
check "new talk exits 0" test $? -eq 0
talk=$site/content/talks/2023-vacuum-in-depth.md
check "talk date prefix YYYY- from --date" test "$(cat "$T/out")" = "$talk"
check "talk date from --date" contains "$talk" 'date: 2023-04-20'
check "talk speakers left as TODO" contains "$talk" 'speakers:  # TODO: ids of person items'
check "hint names what to fill in" contains "$T/err" "fill in speakers, then run 'jixia check $site'"
"$JIXIA" check "$site" 2>"$T/err"
check "talk without speakers fails check" test $? -eq 1
check "the only error is the speakers" test "$(grep -c ': error: ' "$T/err")" -eq 1
check "the error names speakers" grep -q "^content/talks/2023-vacuum-in-depth.md:.*'speakers'" "$T/err"
sed 's/^speakers:.*/speakers: [getting-started-with-person]/' "$talk" >"$T/talk" && cp "$T/talk" "$talk"
"$JIXIA" check "$site" 2>"$T/err"
check "talk with speakers filled in passes check" test $? -eq 0

# A job (role expires): posted today, open for 60 days, so it is listed the
# day it is written.
js=$T/jobsite
mkdir -p "$js" && cp "$site/site.yaml" "$js/"
"$JIXIA" new job "PostgreSQL DBA" --dir "$js" >"$T/out" 2>"$T/err"
check "new job exits 0" test $? -eq 0
job=$(cat "$T/out")
check "job path from title" test "$job" = "$js/content/jobs/postgresql-dba.md"
check "job posted today" contains "$job" 'posted: 2024-06-10'
check "job expires 60 days on" contains "$job" 'expires: 2024-08-09  # the last day it is open (in 60 days); change it as needed'
check "job kinds listed" contains "$job" '# kind: full-time  # one of: full-time, part-time, internship, volunteer'
# The employer is an org (a ref): the job asks for one, as it is required.
check "job asks for its org" contains "$T/err" "fill in org, then run 'jixia check $js'"
"$JIXIA" new org "Beichen Data" --dir "$js" >/dev/null 2>&1
sed 's/^org: .*/org: beichen-data/' "$job" >"$T/job" && cp "$T/job" "$job"
"$JIXIA" build "$js" -o "$T/jobsite-out" 2>"$T/err"
check "the new job builds" test $? -eq 0
check "the new job is open: on the jobs list" grep -q 'href="/jobs/postgresql-dba/"' "$T/jobsite-out/jobs/index.html"

# The folder name works as the type; --slug keeps a year it already has.
"$JIXIA" new talks "Another talk" --slug 2022-hz-another --dir "$site" >"$T/out" 2>/dev/null
check "type by folder, slug with its own year" test "$(cat "$T/out")" = "$site/content/talks/2022-hz-another.md"
rm -f "$site/content/talks/2022-hz-another.md"

# An existing file is never overwritten.
echo "# mine" >>"$site/content/faq/getting-started-with-faq.md"
before=$(sha256sum <"$site/content/faq/getting-started-with-faq.md")
"$JIXIA" new faq "Getting started with faq" --dir "$site" >"$T/out" 2>"$T/err"
check "existing file refused (exit 1)" test $? -eq 1
check "refusal names the file" contains "$T/err" "content/faq/getting-started-with-faq.md already exists"
check "existing file unchanged" test "$before" = "$(sha256sum <"$site/content/faq/getting-started-with-faq.md")"
check "nothing on stdout when refused" test ! -s "$T/out"

# Chinese titles have no readable ASCII name: ask for --slug.
"$JIXIA" new faq "为什么表会膨胀" --dir "$site" >"$T/out" 2>"$T/err"
check "Chinese title without --slug exits 2" test $? -eq 2
check "asks for --slug" contains "$T/err" 'cannot make a readable file name from "为什么表会膨胀"; give one with --slug'
"$JIXIA" new faq "为什么表会膨胀" --slug why-table-bloat --dir "$site" >"$T/out" 2>/dev/null
check "Chinese title with --slug" contains "$site/content/faq/why-table-bloat.md" 'title: "为什么表会膨胀"'
"$JIXIA" new faq "PG 17 新特性" --dir "$site" >"$T/out" 2>/dev/null
check "mixed title uses its ASCII part" test "$(cat "$T/out")" = "$site/content/faq/pg-17.md"
"$JIXIA" new faq "PG 新特性" --dir "$site" >/dev/null 2>&1
check "mixed title with under 3 ASCII chars exits 2" test $? -eq 2

# Translations: NAME.LANG.md beside the original.
"$JIXIA" new faq "Why does my table bloat?" --slug why-table-bloat --lang en --dir "$site" >"$T/out" 2>/dev/null
check "--lang en writes NAME.en.md" test "$(cat "$T/out")" = "$site/content/faq/why-table-bloat.en.md"
check "translation shows translated_from" contains "$site/content/faq/why-table-bloat.en.md" '# translated_from: ""'
"$JIXIA" new faq "x y z" --lang fr --dir "$site" >/dev/null 2>"$T/err"
check "unknown language exits 2" test $? -eq 2
check "unknown language lists the site's" contains "$T/err" "unknown language 'fr' (site.yaml has: zh, en)"
"$JIXIA" new faq "x y z" --lang EN --dir "$site" >/dev/null 2>"$T/err"
check "unknown language: did you mean" grep -qxF "jixia: error: unknown language 'EN' (site.yaml has: zh, en); did you mean 'en'?" "$T/err"

# A hostile title reads back exactly: in the page it becomes, and through
# PyYAML when it is installed.
hostile='a: b # c "d" '"'e'"' \ {{x}} & [y] *z !t %u @v `w` ---'
"$JIXIA" new faq "$hostile" --slug hostile --dir "$site" >/dev/null 2>&1
check "hostile title scaffolded" test -f "$site/content/faq/hostile.md"
printf 'tab\there \342\200\250 nel \302\205 del \177 end' >"$T/ctl"
"$JIXIA" new faq "$(cat "$T/ctl")" --slug control --dir "$site" >/dev/null 2>&1
check "title with control characters escaped" contains "$site/content/faq/control.md" 'title: "tab\u0009here \u2028 nel \u0085 del \u007F end"'
"$JIXIA" build "$site" -o "$T/pub" 2>"$T/err"
check "site with scaffolds builds" test $? -eq 0
check "hostile title round-trips into the page" contains "$T/pub/faq/hostile/index.html" \
	"<h1>a: b # c &quot;d&quot; &#39;e&#39; \\ {{x}} &amp; [y] *z !t %u @v \`w\` ---</h1>"
check "Chinese title in its page" contains "$T/pub/faq/why-table-bloat/index.html" "为什么表会膨胀"
if python3 -c 'import yaml' 2>/dev/null; then
	HOSTILE=$hostile python3 - "$site/content/faq/hostile.md" "$T/ctl" <<'P'
import os, sys, yaml
front = open(sys.argv[1], encoding="utf-8").read().split("---\n")[1]
ctl = open(sys.argv[2], encoding="utf-8").read()
control = open(sys.argv[1].replace("hostile", "control"), encoding="utf-8").read().split("---\n")[1]
ok = yaml.safe_load(front)["title"] == os.environ["HOSTILE"] and yaml.safe_load(control)["title"] == ctl
sys.exit(0 if ok else 1)
P
	check "titles round-trip through PyYAML" test $? -eq 0
fi

# Refusals.
"$JIXIA" new blog "x y z" --dir "$site" >/dev/null 2>"$T/err"
check "unknown type exits 2" test $? -eq 2
check "unknown type lists the types" contains "$T/err" "unknown type 'blog' (types: case, doc, event, faq, job, org, person, project, talk, venue)"
"$JIXIA" new tlak "x y z" --dir "$site" >/dev/null 2>"$T/err"
check "unknown type: did you mean" grep -qxF "jixia: error: unknown type 'tlak' (types: case, doc, event, faq, job, org, person, project, talk, venue); did you mean 'talk'?" "$T/err"
"$JIXIA" new talsk "x y z" --dir "$site" >/dev/null 2>"$T/err"
check "unknown type by its folder: did you mean" grep -qxF "jixia: error: unknown type 'talsk' (types: case, doc, event, faq, job, org, person, project, talk, venue); did you mean 'talk'?" "$T/err"
for bad in ../escape /abs 'a/../b' a//b 'a.b' ''; do
	"$JIXIA" new faq "x y z" --slug "$bad" --dir "$site" >/dev/null 2>&1
	check "slug '$bad' refused (exit 2)" test $? -eq 2
done
check "nothing written outside content/faq" test ! -e "$site/content/escape.md" -a ! -e "$site/escape.md"
"$JIXIA" new faq "x y z" --date 2024-02-30 --dir "$site" >/dev/null 2>&1
check "impossible --date exits 2" test $? -eq 2
"$JIXIA" new faq --dir "$site" >/dev/null 2>&1
check "missing title exits 2" test $? -eq 2
"$JIXIA" new faq "" --dir "$site" >/dev/null 2>&1
check "empty title exits 2" test $? -eq 2

# A symlink under content/ cannot carry the write out of the site.
mkdir -p "$T/elsewhere" "$T/linked/content"
ln -s "$T/elsewhere" "$T/linked/content/faq"
"$JIXIA" new faq "Escape attempt" --dir "$T/linked" >/dev/null 2>&1
check "symlinked type folder refused (exit 2)" test $? -eq 2
check "nothing written through the symlink" test -z "$(ls -A "$T/elsewhere")"

# No site.yaml: the defaults; 'translations: {layout: dir}': content/LANG/.
mkdir -p "$T/bare"
"$JIXIA" new doc "Install" --slug tutorial/install --dir "$T/bare" >"$T/out" 2>/dev/null
check "no site.yaml, nested doc slug" test "$(cat "$T/out")" = "$T/bare/content/docs/tutorial/install.md"
mkdir -p "$T/bydir"
cat >"$T/bydir/site.yaml" <<'Y'
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
translations: {layout: dir}
Y
"$JIXIA" new faq "Bloat" --dir "$T/bydir" >/dev/null 2>&1
"$JIXIA" new faq "Bloat" --lang en --dir "$T/bydir" >/dev/null 2>&1
check "dir layout: content/LANG/FOLDER/SLUG.md" test -f "$T/bydir/content/zh/faq/bloat.md" -a -f "$T/bydir/content/en/faq/bloat.md"
"$JIXIA" check "$T/bydir" 2>/dev/null
check "dir layout scaffolds pass check" test $? -eq 0

# --bundle: a folder for the item's files; a translation follows it there.
"$JIXIA" new event "Photo walk" --bundle --dir "$site" >"$T/out" 2>/dev/null
check "new --bundle writes FOLDER/SLUG/index.md" test "$(cat "$T/out")" = "$site/content/events/2024-06-photo-walk/index.md"
check "new --bundle: a cover hint for a file beside it" contains "$site/content/events/2024-06-photo-walk/index.md" '# cover: https://  # or an image beside this file: cover.jpg'
"$JIXIA" new event "Photo walk" --lang en --dir "$site" >"$T/out" 2>/dev/null
check "a translation of a bundle goes into its folder" test "$(cat "$T/out")" = "$site/content/events/2024-06-photo-walk/index.en.md"
"$JIXIA" new faq "Not a bundle" --lang en --dir "$site" >"$T/out" 2>/dev/null
check "a translation of a plain item stays NAME.LANG.md" test "$(cat "$T/out")" = "$site/content/faq/not-a-bundle.en.md"

# The site is found as git finds .git: from the current folder up to the
# first site.yaml; paths are printed from where the user stands.
(cd "$site/content/faq" && "$JIXIA" new faq "Asked from a subfolder") >"$T/out" 2>"$T/err"
check "new from content/faq exits 0" test $? -eq 0
check "new from a subfolder writes into the site" test -f "$site/content/faq/asked-from-a-subfolder.md"
check "no content/ under the subfolder" test ! -e "$site/content/faq/content"
check "the path printed from the subfolder" test "$(cat "$T/out")" = "asked-from-a-subfolder.md"
check "the check hint names the site from there" contains "$T/err" "then run 'jixia check ../..'"
mkdir -p "$site/layouts/partials"
(cd "$site/layouts/partials" && "$JIXIA" new talk "Talk from the partials" --date 2024-01-02) >"$T/out" 2>/dev/null
check "path printed from a sibling folder" test "$(cat "$T/out")" = "../../content/talks/2024-talk-from-the-partials.md"
check "that file is in the site" test -f "$site/content/talks/2024-talk-from-the-partials.md"
(cd "$site/content/faq" && "$JIXIA" new faq "With an explicit dir" --dir "$site") >"$T/out" 2>/dev/null
check "--dir still wins over the walk" test "$(cat "$T/out")" = "$site/content/faq/with-an-explicit-dir.md"

# Outside a site: refused, nothing created; the walk stops at the repository's top.
mkdir -p "$T/nosite/deeper"
(cd "$T/nosite/deeper" && "$JIXIA" new faq "Nowhere to go") >"$T/out" 2>"$T/err"
check "outside a site exits 2" test $? -eq 2
check "outside a site says so" contains "$T/err" "not inside a site: no site.yaml in $T/nosite/deeper or a folder above it"
check "outside a site: no content/ created" test ! -e "$T/nosite/deeper/content" -a ! -e "$T/nosite/content"
check "outside a site: nothing on stdout" test ! -s "$T/out"
mkdir -p "$T/above/repo/sub"
echo 'title: Above' >"$T/above/site.yaml"
git init -q "$T/above/repo"
(cd "$T/above/repo/sub" && "$JIXIA" new faq "Above the repository") >/dev/null 2>"$T/err"
check "a site.yaml above the repository's top is not its site (exit 2)" test $? -eq 2
check "the refusal names the repository's top" contains "$T/err" "up to the repository's top $T/above/repo;"
check "nothing written above the repository" test ! -e "$T/above/content" -a ! -e "$T/above/repo/content"

# A file name that keeps too little of a mixed title is refused: ask for --slug.
(cd "$site" && "$JIXIA" new faq "为什么 VACUUM 之后磁盘空间没有释放？") >"$T/out" 2>"$T/err"
check "one ASCII word of a Chinese title exits 2" test $? -eq 2
check "thin name: asks for --slug" contains "$T/err" "the file name 'vacuum' keeps too little of \"为什么 VACUUM 之后磁盘空间没有释放？\" to tell it from other titles; give one with --slug NAME"
check "thin name: nothing written" test ! -e "$site/content/faq/vacuum.md"
"$JIXIA" new faq "PG 和 SQL 为什么需要定期维护命令" --dir "$site" >/dev/null 2>&1
check "ASCII under half of a title's letters exits 2" test $? -eq 2
"$JIXIA" new faq "为什么 VACUUM 之后磁盘空间没有释放？" --slug vacuum-space-not-freed --dir "$site" >"$T/out" 2>/dev/null
check "--slug names the thin title's file" test "$(cat "$T/out")" = "$site/content/faq/vacuum-space-not-freed.md"
check "--slug keeps the title" contains "$site/content/faq/vacuum-space-not-freed.md" 'title: "为什么 VACUUM 之后磁盘空间没有释放？"'

# A name already taken by another file of the same page is refused too.
"$JIXIA" new faq "Vacuum space not freed" --bundle --dir "$site" >"$T/out" 2>"$T/err"
check "bundle over a plain file of the same page exits 1" test $? -eq 1
check "the refusal names the file that has the page" contains "$T/err" "$site/content/faq/vacuum-space-not-freed.md already is the page this would make (the same URL); edit it, or choose another name with --slug NAME"
check "no bundle folder made" test ! -e "$site/content/faq/vacuum-space-not-freed"
"$JIXIA" new faq "x y z" --slug Vacuum-Space-Not-Freed --dir "$site" >/dev/null 2>"$T/err"
check "a name differing in case only exits 1" test $? -eq 1
check "the case refusal names the file" contains "$T/err" "content/faq/vacuum-space-not-freed.md already is the page"
"$JIXIA" new event "Photo walk" --dir "$site" >/dev/null 2>"$T/err"
check "plain file over a bundle of the same page exits 1" test $? -eq 1
check "the refusal names the bundle's index.md" contains "$T/err" "content/events/2024-06-photo-walk/index.md already is the page"

# A talk's YYYY- prefix is --date's, whatever year the title starts with.
"$JIXIA" new talk "2022 PG Conf recap" --date 2023-04-20 --dir "$site" >"$T/out" 2>/dev/null
check "title starting with a year still gets --date's prefix" test "$(cat "$T/out")" = "$site/content/talks/2023-2022-pg-conf-recap.md"
"$JIXIA" new talk "2023 recap" --date 2023-04-20 --dir "$site" >"$T/out" 2>/dev/null
check "a title already starting with --date's year is not prefixed twice" test "$(cat "$T/out")" = "$site/content/talks/2023-recap.md"
"$JIXIA" new event "2022 meetup" --date 2023-04-20 --dir "$site" >"$T/out" 2>/dev/null
check "an event gets --date's YYYY-MM- before a title's year" test "$(cat "$T/out")" = "$site/content/events/2023-04-2022-meetup.md"
"$JIXIA" new talk "Recap" --slug 2021-recap --date 2023-04-20 --dir "$site" >/dev/null 2>"$T/err"
check "--slug with another year than --date exits 2" test $? -eq 2
check "the slug and date refusal names both" contains "$T/err" "--slug '2021-recap' starts with 2021- but --date says 2023-"
check "nothing written for the clash" test ! -e "$site/content/talks/2021-recap.md"

# --lang leaves no command in a comment.
check "the --lang scaffold has no git command" sh -c "! grep -q 'git log' '$site/content/faq/why-table-bloat.en.md'"

# --translate: the original's front matter and body where the site keeps
# translations, and translated_from set to the original's last commit.
tr=$T/tr
mkrepo "$tr"
cat >"$tr/site.yaml" <<'Y'
title: Translated
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
Y
mkdir -p "$tr/content/faq" "$tr/content/people" "$tr/content/events/2024-05-hz"
printf -- '---\nname: "张伟"\n---\n' >"$tr/content/people/zhang-wei.md"
cat >"$tr/content/faq/bloat.md" <<'M'
---
title: "为什么表会膨胀"
tags: [vacuum, 存储]
answered_by: [zhang-wei]
translated_from: "stale"
related:
  - bloat
---

表膨胀是因为 **MVCC**。
M
printf -- '---\ntitle: "杭州站"\ndate: 2024-05-18\nkind: meetup\n---\n\n议程。\n' >"$tr/content/events/2024-05-hz/index.md"
commit "$tr" one 2024-01-01T00:00:00Z
printf '\n第二段。\n' >>"$tr/content/faq/bloat.md"
commit "$tr" two 2024-02-01T00:00:00Z
head=$(git -C "$tr" log -1 --format=%H -- content/faq/bloat.md)
printf 'x\n' >"$tr/unrelated.txt" && commit "$tr" three 2024-03-01T00:00:00Z
(cd "$tr/content/faq" && "$JIXIA" new --translate bloat.md --lang en) >"$T/out" 2>"$T/err"
check "--translate exits 0" test $? -eq 0
check "--translate prints the translation's path from here" test "$(cat "$T/out")" = "bloat.en.md"
en=$tr/content/faq/bloat.en.md
check "--translate: translated_from is the original's last commit" contains "$en" "translated_from: \"$head\""
check "--translate: references and tags copied" sh -c "grep -qxF 'tags: [vacuum, 存储]' '$en' && grep -qxF 'answered_by: [zhang-wei]' '$en' && grep -qxF '  - bloat' '$en'"
check "--translate: the title copied to translate" contains "$en" 'title: "为什么表会膨胀"'
check "--translate: the body copied" sh -c "grep -qF '表膨胀是因为 **MVCC**。' '$en' && grep -qF '第二段。' '$en'"
check "--translate: the original's own translated_from dropped" test "$(grep -c 'translated_from' "$en")" -eq 1
check "--translate: no git command left in a comment" sh -c "! grep -q 'git log' '$en'"
"$JIXIA" check "$tr" 2>"$T/err"
check "--translate scaffold passes check" test $? -eq 0
"$JIXIA" l10n "$tr" --lang en >"$T/l10n" 2>/dev/null
check "the translation is not outdated" contains "$T/l10n" "0 outdated"
(cd "$tr" && "$JIXIA" new --translate content/events/2024-05-hz/index.md --lang en) >"$T/out" 2>/dev/null
check "--translate of a bundle writes index.en.md in it" test "$(cat "$T/out")" = "content/events/2024-05-hz/index.en.md"
check "the bundle's translation keeps its date" contains "$tr/content/events/2024-05-hz/index.en.md" 'date: 2024-05-18'
(cd "$tr/content/faq" && "$JIXIA" new --translate content/people/zhang-wei.md --lang en) >"$T/out" 2>/dev/null
check "--translate takes a path from the site's folder too" test "$(cat "$T/out")" = "../people/zhang-wei.en.md"

# Its refusals.
(cd "$tr" && "$JIXIA" new --translate content/faq/bloat.md --lang en) >"$T/out" 2>"$T/err"
check "an existing translation exits 1" test $? -eq 1
check "the refusal names the translation" contains "$T/err" "content/faq/bloat.en.md already translates content/faq/bloat.md into en; edit it"
check "the existing translation unchanged" contains "$en" "translated_from: \"$head\""
(cd "$tr" && "$JIXIA" new --translate content/faq/bloat.md --lang fr) >/dev/null 2>"$T/err"
check "--translate into an unknown language exits 2" test $? -eq 2
check "the unknown language lists the site's" contains "$T/err" "unknown language 'fr' (site.yaml has: zh, en)"
(cd "$tr" && "$JIXIA" new --translate content/faq/bloat.md --lang zh) >/dev/null 2>"$T/err"
check "--translate into the default language exits 2" test $? -eq 2
check "the default language refusal says so" contains "$T/err" "'zh' is the site's default language"
for notpage in site.yaml content/faq/nope.md content/faq unrelated.txt ../outside.md; do
	(cd "$tr" && "$JIXIA" new --translate "$notpage" --lang en) >/dev/null 2>"$T/err"
	check "--translate '$notpage' (not a page) exits 2" test $? -eq 2
done
check "the not-a-page refusal says so" contains "$T/err" "'../outside.md' is not a page of the site"
(cd "$tr" && "$JIXIA" new --translate content/faq/bloat.en.md --lang en) >/dev/null 2>"$T/err"
check "--translate of a translation exits 2" test $? -eq 2
check "it points to the original" contains "$T/err" "content/faq/bloat.en.md is a translation (en); give its original, content/faq/bloat.md"
(cd "$tr" && "$JIXIA" new --translate content/faq/bloat.md) >/dev/null 2>&1
check "--translate without --lang exits 2" test $? -eq 2
(cd "$tr" && "$JIXIA" new --translate content/faq/bloat.md --lang en --slug x) >/dev/null 2>&1
check "--translate with --slug exits 2" test $? -eq 2

# The dir layout, site.yaml's own field name (a dotted path), and no git.
trd=$T/trd
mkrepo "$trd"
cat >"$trd/site.yaml" <<'Y'
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
translations: {layout: dir, field: l10n.sourceCommit}
Y
mkdir -p "$trd/content/zh/docs"
printf -- '---\ntitle: "安装"\nweight: 2\n---\n\n步骤。\n' >"$trd/content/zh/docs/install.md"
commit "$trd" one 2024-01-01T00:00:00Z
head=$(git -C "$trd" log -1 --format=%H)
(cd "$trd/content/zh/docs" && "$JIXIA" new --translate install.md --lang en) >"$T/out" 2>/dev/null
check "dir layout: --translate writes content/en/..." test "$(cat "$T/out")" = "../../en/docs/install.md"
check "dir layout: a dotted field is nested" sh -c "grep -qxF 'l10n:' '$trd/content/en/docs/install.md' && grep -qF '  sourceCommit: \"$head\"' '$trd/content/en/docs/install.md'"
"$JIXIA" check "$trd" 2>"$T/err"
check "dir layout translation passes check" test $? -eq 0
nogit=$T/nogit
mkdir -p "$nogit/content/faq"
cp "$tr/site.yaml" "$nogit/"
printf -- '---\ntitle: "问题"\n---\n\n回答。\n' >"$nogit/content/faq/q.md"
"$JIXIA" new --translate "$nogit/content/faq/q.md" --lang en --dir "$nogit" >"$T/out" 2>"$T/err"
check "no git: --translate still writes the copy" test "$(cat "$T/out")" = "$nogit/content/faq/q.en.md"
check "no git: translated_from left as a comment" contains "$nogit/content/faq/q.en.md" '# translated_from: the id of the commit of content/faq/q.md that this translates'
check "no git: the note says why" contains "$T/err" "content/faq/q.md has no commit to follow yet"

finish
