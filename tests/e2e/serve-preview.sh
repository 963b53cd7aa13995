# serve-preview.sh — jixia serve renders the open pages first: an event
# stream that names its page (?page=, as the reload script sends it) gets
# a reload as soon as the rebuild's model is made, before the rest of the
# site, and a fetch of that page then has the edit under the rebuild's
# number while every other page is still the last committed site's; the
# commit's state names the same number (no second reload), and the page's
# bytes then are the preview's. A page not open is not previewed; a model
# error makes no preview and shows the errors as before; a build that
# fails after its preview leaves no page on a number that was served, so
# the next build reloads it; hostile page names (.., %00, huge, not a
# page, not a path) are harmless. JIXIA_TEST_PREVIEW_HOLD (serve.c, for
# tests only) holds a build that showed a preview until a file exists, so
# the preview and the committed site are seen side by side. Waits are
# bounded polls, never timings.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

get() {
	curl -s --noproxy '*' -o "$T/body" -w '%{http_code}' "$url${1#/}"
}
served_has() { get "$1" >/dev/null && grep -qF -- "$2" "$T/body"; }
gen_of() { get "$1" >/dev/null && sed -n 's#.*<script src="/_jixia/live.js" data-gen="\([0-9]*\)"></script>.*#\1#p' "$T/body"; }
# stream NAME [QUERY]: an event stream into $T/ev-NAME
stream() {
	: >"$T/ev-$1"
	curl -s -N --noproxy '*' "${url}_jixia/events$2" >"$T/ev-$1" &
	pids="$pids $!"
	until_ok grep -q '^event: ' "$T/ev-$1"
}
has() { grep -qF -- "$2" "$T/ev-$1"; }
count() { grep -c '^event: ' "$T/ev-$1"; }

S=$T/site
mkrepo "$S"
mkdir -p "$S/content/notes" "$S/layouts"
cat >"$S/site.yaml" <<'EOF'
title: Preview Test
base_url: https://example.org/
taxonomies: [tags]
EOF
printf -- '---\ntitle: About\n---\nFirst version.\n' >"$S/content/about.md"
printf -- '---\ntitle: Other\n---\nOther page, first version.\n' >"$S/content/notes/other.md"
mkdir -p "$S/content/faq"
printf -- '---\ntitle: A question\n---\nFirst answer.\n' >"$S/content/faq/q.md"
for i in 1 2 3 4 5 6 7 8 9; do
	printf -- '---\ntitle: Note %s\n---\nNote %s.\n' "$i" "$i" >"$S/content/notes/n$i.md"
done
# a term page fails to render (a raw tag on text): no page has a tag yet,
# so the site builds; a tag added later fails the build after the model
printf '{{{title}}}\n' >"$S/layouts/term.html"
commit "$S" "the site" "2024-05-01T10:00:00Z"
export SOURCE_DATE_EPOCH=1735689600

hold=$T/release
touch "$hold"
JIXIA_TEST_PREVIEW_HOLD=$hold "$JIXIA" serve "$S" --port 0 -v >"$T/out" 2>"$T/err" &
pid=$!
pids=
started() { grep -q '^jixia: serving http' "$T/out" || ! kill -0 $pid 2>/dev/null; }
until_ok started
url=$(sed -n 's#^jixia: serving \(http://127\.0\.0\.1:[0-9]*/\) .*#\1#p' "$T/out")
if [ -z "$url" ]; then
	fail "serve starts" "$(cat "$T/out" "$T/err")"
	kill $pid 2>/dev/null
	finish
	exit 1
fi
ok "serve starts ($url)"

check "the reload script names its page to the stream" sh -c \
	"curl -s --noproxy '*' '${url}_jixia/live.js' | grep -qF \"events?page=' + encodeURIComponent(location.pathname)\""

# the page the reload script of /about/ names, and the one of a page not edited
stream about '?page=%2Fabout%2F'
stream plain ''
stream other '?page=%2Fnotes%2Fother%2F'
stream q '?page=%2Ffaq%2Fq%2F'
stream home '?page=%2F'
stream list '?page=%2Ffaq%2F'
# hostile names: a stream like any other, never a preview
stream dots '?page=%2F..%2F..%2Fabout%2F'
stream nul '?page=%2Fabout%2F%2500'
stream huge "?page=%2F$(head -c 6000 /dev/zero | tr '\0' a)"
stream notpath '?page=about%2F'
stream badpct '?page=%2Fabout%25zz%2F'
stream nopage '?page=%2Fno%2Fsuch%2Fpage%2F'
check "every stream gets the state at once" sh -c "grep -q '^data: {\"gen\":1,\"full\":1}\$' '$T/ev-about' && grep -q '^data: {\"gen\":1,\"full\":1}\$' '$T/ev-huge'"

# --- an edit of an open page: its preview, then the commit -----------------------
rm -f "$hold"
printf -- '---\ntitle: About\n---\nSecond version.\n' >"$S/content/about.md"
check "the open page's stream gets its reload before the commit" \
	until_ok has about '{"gen":2,"full":2,"preview":true}'
check "the other open page's stream too (every open page is previewed)" \
	until_ok has other '{"gen":2,"full":2,"preview":true}'
check "a fetch of the page then has the edit" served_has /about/ "Second version."
check "... under the rebuild's number" [ "$(gen_of /about/)" = 2 ]
cp "$T/body" "$T/about-preview"
# other kinds of output previewed: the home page, a listing
for p in / /faq/ /notes/other/; do
	get "$p" >/dev/null
	cp "$T/body" "$T/preview-$(printf %s "$p" | tr / _)"
done
check "a listing open is previewed too" grep -q 'data-gen="2"' "$T/preview-_faq_"
check "a page not open is the last committed site's" [ "$(gen_of /notes/n1/)" = 1 ]
check "a stream with no page is not told yet" [ "$(count plain)" = 1 ]
for n in dots nul huge notpath badpct nopage; do
	check "a hostile page name ($n): no preview" sh -c "[ \$(grep -c '^event: ' '$T/ev-$n') = 1 ] && ! grep -q preview '$T/ev-$n'"
done
# the reloaded page's own stream: the preview at once, not the state before it
stream again '?page=%2Fabout%2F'
check "a stream opened meanwhile for the page is told the preview, not the last commit" \
	sh -c "grep '^data: ' '$T/ev-again' | head -n 1 | grep -qF '{\"gen\":2,\"full\":2,\"preview\":true}'"
touch "$hold"
check "the commit's state names the same number (no second reload)" \
	until_ok sh -c "grep '^data: ' '$T/ev-about' | tail -n 1 | grep -qx 'data: {\"gen\":2,\"full\":2}'"
check "-v says so" until_ok grep -q '^jixia: preview .* 5 open pages rendered first' "$T/err"
check "the commit reaches a stream with no page" until_ok has plain '{"gen":2,"full":2}'
check "and the hostile names' streams" until_ok has huge '{"gen":2,"full":2}'
get /about/ >/dev/null
check "after the commit, the page's bytes are the preview's" cmp -s "$T/body" "$T/about-preview"
for p in / /faq/ /notes/other/; do
	get "$p" >/dev/null
	check "after the commit, $p is its preview's bytes" cmp -s "$T/body" "$T/preview-$(printf %s "$p" | tr / _)"
done
check "the rest of the site is the new one" [ "$(gen_of /notes/n1/)" = 2 ]

# --- a model error: no preview, the errors as before ------------------------------
rm -f "$hold"
before=$(count about)
printf -- '---\ntitle: [About\n---\nBroken.\n' >"$S/content/about.md"
check "a model error reaches the stream" until_ok grep -q '^data: {"gen":2,"errors":\[{"severity":"error","file":"content/about.md","line":3' "$T/ev-about"
check "... with no preview before it" [ "$(count about)" = $((before + 1)) ]
check "the last good page is served" served_has /about/ "Second version."
touch "$hold"
printf -- '---\ntitle: About\n---\nThird version.\n' >"$S/content/about.md"
check "the fix: a preview (the failed build took number 3)" until_ok has about '{"gen":4,"full":4,"preview":true}'
check "then the commit" until_ok sh -c "grep '^data: ' '$T/ev-about' | tail -n 1 | grep -qx 'data: {\"gen\":4,\"full\":4}'"
check "the fix is served" served_has /about/ "Third version."

# --- a build that fails after its preview -------------------------------------------
rm -f "$hold"
printf -- '---\ntitle: A question\ntags: [boom]\n---\nSecond answer.\n' >"$S/content/faq/q.md"
check "a preview of a build that will fail" until_ok has q '{"gen":5,"full":5,"preview":true}'
check "its page has the edit" served_has /faq/q/ "Second answer."
touch "$hold"
check "the build fails after it (a term page's template)" \
	until_ok grep -q '^data: {"gen":4,"errors":\[{"severity":"error","file":"layouts/term.html"' "$T/ev-q"
check "the page is the last committed site's again" [ "$(gen_of /faq/q/)" = 4 ]
check "... with its bytes" served_has /faq/q/ "First answer."
rm -f "$hold"
printf -- '---\ntitle: A question\n---\nThird answer.\n' >"$S/content/faq/q.md"
check "the next build: a preview under a new number" until_ok has q '{"gen":6,"full":6,"preview":true}'
touch "$hold"
check "committed under that number: a page left on 5 reloads" \
	until_ok sh -c "grep '^data: ' '$T/ev-q' | tail -n 1 | grep -qx 'data: {\"gen\":6,\"full\":6}'"

# --- at most the 8 most recent open pages --------------------------------------------
for i in 1 2 3 4 5 6 7 8 9; do stream "n$i" "?page=%2Fnotes%2Fn$i%2F"; done
rm -f "$hold"
printf -- '---\ntitle: About\n---\nSixth version.\n' >"$S/content/about.md"
check "the most recent open pages are previewed" until_ok has n9 '"preview":true'
check "... eight of them" sh -c "[ \$(grep -l '\"gen\":7,\"full\":7,\"preview\":true' '$T'/ev-n[1-9] | wc -l) = 8 ]"
check "... not the oldest" sh -c "! grep -q preview '$T/ev-n1'"
check "... nor the edited page, open longer ago" sh -c "! grep -q '\"gen\":7,\"full\":7,\"preview\"' '$T/ev-about'"
touch "$hold"
check "every stream gets the commit" until_ok has n1 '{"gen":7,"full":7}'
check "the edited page is served" served_has /about/ "Sixth version."

kill -INT $pid
wait $pid
check "SIGINT: exit 0" [ $? = 0 ]
for p in $pids; do kill $p 2>/dev/null; done
check "nothing crashed" sh -c "! grep -qi 'sanitizer\|runtime error' '$T/err'"
finish
