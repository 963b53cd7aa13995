#!/bin/sh
# linkskept.sh: the links' check kept between rebuilds (links.c's
# links_check_kept, diskcache.h's links record). A rebuild checks again
# only the pages whose file changed, and those whose #fragments name a
# page whose headings changed; anything else a link may lead to changed
# (a page added or removed) checks every page. What it reports is always
# a cold build's: a link broken by a change elsewhere (its page deleted,
# its heading renamed) is reported at its path:line:col, and a page that
# reported is checked (and reports) again at every rebuild. The record
# damaged, garbage, cut, in another binary's, or hostile with a valid
# checksum (diskcache.py) is ignored: every page checked, a cold build's
# output.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME="$T/cache" CI=1 SOURCE_DATE_EPOCH=1795305600
S="$T/site"
cp -R "$(dirname "$0")/../golden/model/site" "$S"
printf -- '---\ntitle: Target\nweight: 5\n---\n## Part\n\nText.\n' >"$S/content/docs/target.md"
printf -- '---\ntitle: Linker\nweight: 6\n---\nSee [the part](/docs/target/#part) and [install](/docs/guide/install/).\n' \
	>"$S/content/docs/linker.md"
mkrepo "$S"
commit "$S" first 2024-01-02T00:00:00Z
N=$(find "$S/content" -name '*.md' ! -name '_*' | wc -l)

b() { "$JIXIA" build -v -j 2 "$S" -o "$T/out" "$@" 2>"$T/err"; }
# The pages whose links the last build checked (-v's model line), the rest taken from the record.
linked() { sed -n "s/^jixia: model .*, \([0-9][0-9]*\) pages\{0,1\}'s\{0,1\} links checked .*/\1/p" "$T/err"; }
is() { [ "$(linked)" = "$1" ] || { echo "links checked: $(linked), not $1" >&2 && false; }; }
# The output and the reports are a cold build's of the same sources (no cache, a new output).
cold() {
	rm -rf "$T/cold" "$T/cold-cache"
	XDG_CACHE_HOME="$T/cold-cache" "$JIXIA" build -j 2 "$S" -o "$T/cold" 2>"$T/cold-err"
	grep -v '^jixia: ' "$T/err" >"$T/err-reports"
	grep -v '^jixia: ' "$T/cold-err" | diff "$T/err-reports" - >&2 || return
	[ ! -d "$T/cold" ] || diff -r "$T/cold" "$T/out" >&2
}
record() { ls "$T/cache/jixia/"links-*.cache; }
edit() { printf '\nEdit %s.\n' "$1" >>"$S/content/$2"; }
fails() { ! "$@"; }

check "first build, a new output" b
check "  no links record for a new output" sh -c '! ls "$0"/jixia/links-*.cache 2>/dev/null' "$T/cache"
edit 0 faq/bloat.md
check "a rebuild into it" b
check "  checks every page's links" is "$N"
check "  the record made" test -f "$(record)"
edit 1 faq/bloat.md
check "one page edited" b
check "  that page's links alone checked" is 1
check "  output equals a cold build" cold

# A heading renamed: the page that links to it by its #id is checked with it, and reports.
sed -i 's/^## Part$/## Section/' "$S/content/docs/target.md"
check "a heading another page links to renamed: the build fails" fails b
check "  that page and the linking one checked" is 2
check "  the broken #fragment reported where it is" contains "$T/err" \
	"content/docs/linker.md:5:5: error: link '/docs/target/#part' leads to content/docs/target.md, which has no heading with id 'part'"
check "  the reports a cold build's" cold
edit 2 faq/bloat.md
check "another page edited: fails again" fails b
check "  the page that reported is checked again" is 2
check "  and reports again" contains "$T/err" "content/docs/linker.md:5:5: error: link '/docs/target/#part'"
sed -i 's/^## Section$/## Part/' "$S/content/docs/target.md"
check "the heading back" b
check "  output equals a cold build" cold

# A page another (unchanged) page links to deleted: every page checked, the link reported.
mv "$S/content/docs/guide/install.md" "$T/install.md"
check "a page linked to deleted: the build fails" fails b
check "  every page checked" is $((N - 1))
check "  the link to it reported where it is" contains "$T/err" \
	"content/docs/linker.md:5:40: error: link '/docs/guide/install/' leads nowhere"
check "  the reports a cold build's" cold
edit 3 faq/bloat.md
check "another page edited: fails again" fails b
check "  the link reported again" contains "$T/err" "content/docs/linker.md:5:40: error: link '/docs/guide/install/'"
check "  the reports a cold build's" cold
mv "$T/install.md" "$S/content/docs/guide/install.md"
check "the page back" b
check "  output equals a cold build" cold

# Renamed (as many pages as before, at other addresses): every page checked, the link reported.
git -C "$S" mv -q content/docs/guide/install.md content/docs/guide/setup.md 2>/dev/null ||
	mv "$S/content/docs/guide/install.md" "$S/content/docs/guide/setup.md"
check "a page linked to renamed: the build fails" fails b
check "  every page checked" is "$N"
check "  the link to it reported where it is" contains "$T/err" \
	"content/docs/linker.md:5:40: error: link '/docs/guide/install/' leads nowhere"
check "  the reports a cold build's" cold
mv "$S/content/docs/guide/setup.md" "$S/content/docs/guide/install.md"
check "its name back" b
check "  output equals a cold build" cold

# Broken links as warnings (links.errors: warn): the build succeeds and warns at every rebuild.
cp "$S/site.yaml" "$T/site.yaml"
printf 'links: {errors: warn}\n' >>"$S/site.yaml"
printf '\nAnd [gone](/docs/gone/).\n' >>"$S/content/docs/linker.md"
check "a broken link, a warning" b
check "  warned" contains "$T/err" "content/docs/linker.md:7:5: warning: link '/docs/gone/' leads nowhere"
edit 4 faq/bloat.md
check "another page edited" b
check "  warns again" contains "$T/err" "content/docs/linker.md:7:5: warning: link '/docs/gone/' leads nowhere"
check "  output and reports a cold build's" cold
cp "$T/site.yaml" "$S/site.yaml"
sed -i '$d' "$S/content/docs/linker.md"
sed -i '$d' "$S/content/docs/linker.md"
check "the link and site.yaml back" b
check "  output equals a cold build" cold

# The record damaged: ignored (every page checked), a cold build's output; the next
# rebuild's record holds again.
i=5
damaged() {
	edit $i faq/bloat.md
	i=$((i + 1))
	check "$1: a rebuild" b
	check "  every page checked" is "$N"
	check "  output equals a cold build" cold
	edit $i faq/bloat.md
	i=$((i + 1))
	check "  the next rebuild takes its record" b
	check "  one page checked" is 1
}
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(200); b = f.read(1); f.seek(200); f.write(bytes([b[0] ^ 1]))' "$(record)"
damaged "a byte of the record changed"
head -c 100 "$(record)" >"$T/cut" && cat "$T/cut" >"$(record)"
damaged "the record cut short"
head -c 5000 /dev/urandom >"$(record)"
damaged "the record garbage"
: >"$(record)"
damaged "the record empty"
f=$(record)
rm "$f" && mkdir "$f"
edit $i faq/bloat.md
i=$((i + 1))
check "a folder in the record's place: a rebuild" b
check "  every page checked" is "$N"
check "  output equals a cold build" cold
rmdir "$f"
edit $i faq/bloat.md
i=$((i + 1))
check "  a record again" b
for mode in count nul dep tag long field; do
	python3 "$(dirname "$0")/diskcache.py" "$(record)" links-$mode
	edit $i faq/bloat.md
	i=$((i + 1))
	check "hostile record (links-$mode): a rebuild" b
	check "  output equals a cold build" cold
	[ $mode = field ] || check "  every page checked" is "$N"
done
check "  (field: the page whose field it names checked with the edited one)" is 2
python3 "$(dirname "$0")/diskcache.py" "$(record)" links-reseal
edit $i faq/bloat.md
i=$((i + 1))
check "the record sealed again (the control): a rebuild" b
check "  takes it: one page checked" is 1

# Another jixia binary: the record is not its own.
another_jixia "$JIXIA" "$T/jixia2"
edit $i faq/bloat.md
i=$((i + 1))
check "another jixia's rebuild" env JIXIA="$T/jixia2" sh -c '"$JIXIA" build -v -j 2 "$0" -o "$1" 2>"$2"' "$S" "$T/out" "$T/err"
check "  checks every page" is "$N"

finish
