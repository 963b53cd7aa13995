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
for t in faq doc person case event; do
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
"$JIXIA" check "$site" 2>"$T/err"
check "faq, doc, person, case, event scaffolds pass check" test $? -eq 0

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
check "unknown type lists the types" contains "$T/err" "unknown type 'blog' (types: case, doc, event, faq, person, talk)"
"$JIXIA" new tlak "x y z" --dir "$site" >/dev/null 2>"$T/err"
check "unknown type: did you mean" grep -qxF "jixia: error: unknown type 'tlak' (types: case, doc, event, faq, person, talk); did you mean 'talk'?" "$T/err"
"$JIXIA" new talsk "x y z" --dir "$site" >/dev/null 2>"$T/err"
check "unknown type by its folder: did you mean" grep -qxF "jixia: error: unknown type 'talsk' (types: case, doc, event, faq, person, talk); did you mean 'talk'?" "$T/err"
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

finish
