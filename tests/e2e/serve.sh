# serve.sh — jixia serve on a small site in a git repository: statuses,
# content types, folders and their redirect, the 404 page, byte ranges,
# HEAD, the base URL on the local origin; every file it serves is the cold
# build's (the reload script taken out); an edit, a stylesheet, a deleted
# page and a broken one (the last good site stays, the errors reach the
# event stream), the overlay in Chromium; --drafts, a port in use, --ref,
# nothing written; SIGINT ends it with 0. Then the edge cases: a folder
# deleted and made again, site.yaml and a layout broken then fixed, lost
# file events (JIXIA_TEST_WATCH_OVERFLOW) then an edit and a commit;
# --bind 0.0.0.0 and :: (links on the name the browser used, other names
# refused); SIGINT during the rebuild of a larger site. Waits are bounded
# polls (10 s), never timings, but for that last one: stopping must take
# less than half a whole build of that site (at most 5 s), where before it
# waited for the build to end. Last, the watcher's changed paths handed to
# the source stage (serve -v): an edit, a save by rename, a delete and a
# backup file looked at alone, a new folder walked whole, and a cold
# build's files after them.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

# sub NAME COMMAND...: runs a node test and adds its "N passed, N failed".
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
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || fail "$name" "exit $rc"
	echo "ok $name ($p passed, $f failed)"
}

# get PATH [CURL ARGS...]: fetches the served PATH into $T/body, its headers
# into $T/head; prints "STATUS CONTENT-TYPE".
get() {
	p=$1
	shift
	curl -s --noproxy '*' -D "$T/head" -o "$T/body" -w '%{http_code} %{content_type}' "$@" "$url${p#/}"
}
status() { get "$@" >"$T/st"; cut -d' ' -f1 "$T/st"; }
served_has() { get "$1" >/dev/null && grep -qF -- "$2" "$T/body"; }
served_status() {
	at=$1
	want=$2
	shift 2
	[ "$(status "$at" "$@")" = "$want" ]
}
strip_script() { sed 's#<script src="/_jixia/live.js" data-gen="[0-9]*"></script>##' "$1"; }

# --- the site ----------------------------------------------------------------
S=$T/site
mkrepo "$S"
mkdir -p "$S/content/faq" "$S/content/notes" "$S/assets"
cat >"$S/site.yaml" <<'EOF'
title: Serve Test
base_url: https://example.org/sub/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
EOF
printf -- '---\ntitle: About\n---\nTop-level page, first version.\n' >"$S/content/about.md"
printf -- '---\ntitle: 为什么表会膨胀？\ntags: [vacuum]\n---\nMVCC 留下旧版本。\n' >"$S/content/faq/bloat.md"
printf -- '---\ntitle: Why does my table bloat?\ntags: [vacuum]\n---\nOld row versions stay until VACUUM.\n' \
	>"$S/content/faq/bloat.en.md"
printf -- '---\ntitle: Going away\n---\nThis page is deleted.\n' >"$S/content/notes/gone.md"
printf -- '---\ntitle: Kept\n---\nThis page is broken later.\n' >"$S/content/notes/kept.md"
printf -- '---\ntitle: Not yet\ndraft: true\n---\nhidden\n' >"$S/content/notes/draft.md"
printf 'p { color: black; }\n' >"$S/assets/extra.css"
commit "$S" "the site" "2024-05-01T10:00:00Z"
export SOURCE_DATE_EPOCH=1735689600

# --- start ---------------------------------------------------------------------
: >"$T/out"
# an event for a file of this name stands for lost events (watch.c)
JIXIA_TEST_WATCH_OVERFLOW=.jixia-overflow "$JIXIA" serve "$S" --port 0 >"$T/out" 2>"$T/err" &
pid=$!
started() { grep -q '^jixia: serving http' "$T/out" || ! kill -0 $pid 2>/dev/null; }
until_ok started
url=$(sed -n 's#^jixia: serving \(http://127\.0\.0\.1:[0-9]*/\) .*#\1#p' "$T/out")
if [ -z "$url" ]; then
	fail "serve starts and names its address" "$(cat "$T/out" "$T/err")"
	kill $pid 2>/dev/null
	finish
	exit 1
fi
ok "serve starts and names its address ($url)"
port=${url##*:}
port=${port%/}

# --- files ---------------------------------------------------------------------
check "home page: 200, text/html" [ "$(get /)" = "200 text/html; charset=utf-8" ]
check "the reload script is in the page, once, before </body>" \
	[ "$(grep -o '<script src="/_jixia/live.js" data-gen="[0-9]*"></script></body>' "$T/body" | wc -l)" = 1 ]
check "absolute links are on the local origin" served_has /en/faq/bloat/ "\"${url}en/faq/bloat/\""
check "no link to site.yaml's base_url is left" sh -c "! grep -qF 'example.org' '$T/body'"
check "root-relative links drop site.yaml's base path" sh -c "grep -qF 'href=\"/assets/style.css\"' '$T/body'"
check "stylesheet: text/css" [ "$(get /assets/style.css)" = "200 text/css; charset=utf-8" ]
check "feed: application/xml" [ "$(get /atom.xml)" = "200 application/xml" ]
check "search manifest: application/json" [ "$(get /search/index.json)" = "200 application/json" ]
check "a folder serves its index.html" served_has /en/faq/bloat/ "Why does my table bloat?"
check "a folder without its slash: 302 to it" sh -c "[ \"\$(curl -s --noproxy '*' -o /dev/null -w '%{http_code} %{redirect_url}' '${url}en/faq/bloat')\" = '302 ${url}en/faq/bloat/' ]"
check "a missing page: 404" served_status /no/such/page/ 404
check "a missing page gets the site's 404 page" grep -q '<script src="/_jixia/live.js"' "$T/body"
cp "$T/body" "$T/404-served"
check "a missing file under a language: 404" served_status /en/nothing.css 404
check "HEAD: the headers, no body" sh -c "[ \"\$(curl -s --noproxy '*' -I -o '$T/h' -w '%{http_code} %{size_download}' '${url}assets/extra.css')\" = '200 0' ] && grep -qi '^accept-ranges: bytes' '$T/h' && grep -qi '^content-length: 20' '$T/h'"
get /about/ >/dev/null
check "no-cache and an ETag" sh -c "grep -qi '^cache-control: no-cache' '$T/head' && grep -qi '^etag: \"' '$T/head'"
check "POST: 405" served_status /about/ 405 -X POST
check "another site's name for this address (DNS rebinding): 403" served_status / 403 -H 'Host: attacker.example:'"$port"
check "localhost: answered" served_status / 200 -H "Host: localhost:$port"
check "the reload script: text/javascript" [ "$(get /_jixia/live.js)" = "200 text/javascript; charset=utf-8" ]

# --- the cold build of the same content, on the same base URL -------------------
git clone -q "$S" "$T/cold"
sed -i "s#^base_url: .*#base_url: ${url}#" "$T/cold/site.yaml"
if "$JIXIA" build "$T/cold" -o "$T/cold-out" 2>"$T/cold-err"; then
	ok "cold build on the local origin"
else
	fail "cold build on the local origin" "$(cat "$T/cold-err")"
fi
check "jixia build's output has no reload script" sh -c "! grep -rqF '_jixia' '$T/cold-out'"
same=0
differ=""
for f in $(cd "$T/cold-out" && find . -type f ! -name .jixia-output | sed 's#^\./##' | sort); do
	code=$(status "/$f")
	case $f in
	*.html) strip_script "$T/body" >"$T/stripped" ;;
	*) cp "$T/body" "$T/stripped" ;;
	esac
	if [ "$code" = 200 ] && cmp -s "$T/stripped" "$T/cold-out/$f"; then
		same=$((same + 1))
	else
		differ="$differ $f($code)"
	fi
done
check "every file served is the cold build's, byte for byte ($same files)" [ -z "$differ" ] && [ "$same" -gt 20 ]
[ -z "$differ" ] || echo "  differ:$differ"
check "the 404 page is the cold build's 404.html" sh -c "strip_script() { sed 's#<script src=\"/_jixia/live.js\" data-gen=\"[0-9]*\"></script>##' \"\$1\"; }; strip_script '$T/404-served' | cmp -s - '$T/cold-out/404.html'"

# a byte range of a search shard, as the search client reads tails
shard=$(cd "$T/cold-out" && ls search/*.bin | head -n 1)
size=$(wc -c <"$T/cold-out/$shard")
check "byte range: 206 and the bytes asked for ($shard)" sh -c "[ \"\$(curl -s --noproxy '*' -r 3-12 -o '$T/range' -w '%{http_code}' '$url$shard')\" = 206 ] && dd if='$T/cold-out/$shard' bs=1 skip=3 count=10 2>/dev/null | cmp -s - '$T/range'"
check "byte range: Content-Range" sh -c "curl -s --noproxy '*' -r 3-12 -D - -o /dev/null '$url$shard' | grep -qi '^content-range: bytes 3-12/$size'"
check "byte range: the last 5 bytes" sh -c "curl -s --noproxy '*' -r -5 -o '$T/range' '$url$shard' && tail -c 5 '$T/cold-out/$shard' | cmp -s - '$T/range'"
check "byte range past the end: 416" [ "$(curl -s --noproxy '*' -r "$((size + 10))-" -o /dev/null -w '%{http_code}' "$url$shard")" = 416 ]

# --- live: the event stream, then edits ----------------------------------------
: >"$T/events"
curl -s -N --noproxy '*' "${url}_jixia/events" >"$T/events" &
ev=$!
until_ok grep -q '^event: reload' "$T/events"
check "the event stream tells the state at once" grep -q '^data: {"gen":1,"full":1}' "$T/events"

printf -- '---\ntitle: About\n---\nTop-level page, second version.\n' >"$S/content/about.md"
check "an edit is served" until_ok served_has /about/ "second version"
check "an edit sends reload" until_ok grep -q '^data: {"gen":2,"full":2}' "$T/events"

printf 'p { color: navy; }\n' >"$S/assets/extra.css"
check "a stylesheet edit is served" until_ok served_has /assets/extra.css navy
check "a stylesheet edit alone swaps styles (full stays 2)" until_ok grep -q '^data: {"gen":3,"full":2}' "$T/events"

mkdir -p "$S/content/notes/new"
printf -- '---\ntitle: In a new folder\n---\nNew.\n' >"$S/content/notes/new/index.md"
check "a page in a new folder is served" until_ok served_has /notes/new/ "In a new folder"

mkdir "$S/static"
printf 'hello static\n' >"$S/static/hello.txt"
check "a static/ folder made while serving is watched" until_ok served_has /hello.txt "hello static"

# an editor's save: a temporary file renamed over the page
printf -- '---\ntitle: Kept\n---\nSaved by rename.\n' >"$S/content/notes/.kept.md.swp"
mv "$S/content/notes/.kept.md.swp" "$S/content/notes/kept.md"
check "a save by rename is served" until_ok served_has /notes/kept/ "Saved by rename"

rm "$S/content/notes/gone.md"
check "a deleted page: 404" until_ok served_status /notes/gone/ 404

printf -- '---\ntitle: Why does my table bloat?\ntags: [vacuum]\ndate: "<script>alert(1)</script>"\n---\nBroken.\n' \
	>"$S/content/faq/bloat.en.md"
check "a broken page: the errors reach the stream, path:line:col" \
	until_ok grep -q '^data: {"gen":[0-9]*,"errors":\[{"severity":"error","file":"content/faq/bloat.en.md","line":4,"col":7,' "$T/events"
check "the errors are printed as jixia check prints them" \
	until_ok grep -q "^content/faq/bloat.en.md:4:7: error: 'date' must be a real date" "$T/err"
check "the stream carries the message, its < and > escaped" \
	grep -qF 'not '"'"'\u003cscript\u003ealert(1)\u003c/script\u003e'"'"'' "$T/events"
check "the last good page is still served" served_has /en/faq/bloat/ "Old row versions stay"
check "the rest of the last good site too" served_has /about/ "second version"

printf -- '---\ntitle: Why does my table bloat?\ntags: [vacuum]\n---\nFixed again.\n' >"$S/content/faq/bloat.en.md"
check "a fix is served" until_ok served_has /en/faq/bloat/ "Fixed again"
check "a fix sends reload" until_ok sh -c "tail -n 3 '$T/events' | grep -q '^event: reload'"

# --- edge cases: a folder gone and back, site.yaml and a layout broken then fixed ---
last_is_reload() { tail -n 3 "$T/events" | grep -q '^event: reload'; }
rm -rf "$S/content/notes/new"
check "a deleted folder: its page is 404" until_ok served_status /notes/new/ 404
mkdir "$S/content/notes/new"
printf -- '---\ntitle: In a new folder\n---\nBack again.\n' >"$S/content/notes/new/index.md"
check "the folder made again: its page is served" until_ok served_has /notes/new/ "Back again"
printf -- '---\ntitle: In a new folder\n---\nEdited in the folder made again.\n' >"$S/content/notes/new/index.md"
check "the folder made again is watched: an edit in it is served" \
	until_ok served_has /notes/new/ "Edited in the folder made again"

cp "$S/site.yaml" "$T/site.yaml.good"
printf 'title: [unclosed\n' >>"$S/site.yaml"
check "site.yaml broken: its error reaches the stream" \
	until_ok grep -q '^data: {"gen":[0-9]*,"errors":\[{"severity":"error","file":"site.yaml","line":6,' "$T/events"
check "site.yaml broken: the last good site is still served" served_has /notes/new/ "Edited in the folder made again"
cp "$T/site.yaml.good" "$S/site.yaml"
check "site.yaml fixed: reload (the overlay goes)" until_ok last_is_reload

mkdir "$S/layouts"
{
	cat "$here/../layouts/page.html"
	printf '{{#title}}\n'
} >"$S/layouts/page.html"
check "a layout broken: its error reaches the stream, path:line:col" \
	until_ok grep -q '"errors":\[{"severity":"error","file":"layouts/page.html","line":[0-9]*,"col":1,"message":"unclosed section' "$T/events"
check "a layout broken: the last good site is still served" served_has /about/ "second version"
cp "$here/../layouts/page.html" "$S/layouts/page.html"
check "the layout fixed: reload (the overlay goes)" until_ok last_is_reload
rm -r "$S/layouts"

# --- the overlay in Chromium -------------------------------------------------
if ! command -v chromium >/dev/null 2>&1 || [ ! -d "$here/browser/node_modules/playwright-core" ]; then
	fail "overlay in Chromium" "need chromium and tests/browser/node_modules (make browser-deps as root)"
else
	sub "overlay in Chromium" sh -c "cd '$here/browser' && timeout 120 node live.mjs '$url' '$S'"
fi

# --- git: an uncommitted page is dated now; a commit is seen -------------------
check "an uncommitted edit is dated now (SOURCE_DATE_EPOCH)" served_has /about/ 'datetime="2025-01-01'
commit "$S" "edits" "2024-06-01T10:00:00Z"
check "a commit rebuilds: the page takes the commit's date" until_ok served_has /about/ 'datetime="2024-06-01'
check "a commit is named as the change" grep -q '^jixia: .git/refs/heads/main changed' "$T/err"

# --- lost events: every folder and git's watched again ---------------------------
# The kernel's queue cannot be made to overflow on demand: an event for the
# file named by JIXIA_TEST_WATCH_OVERFLOW drops every watch and stands for
# an overflow (watch.c). Then an edit, a new folder and a commit are seen.
gen_before=$(grep -c '^event: reload' "$T/events")
: >"$S/content/.jixia-overflow"
check "lost events: said, and everything watched again" \
	until_ok grep -q '^jixia: changes were missed (the system.s queue of file events overflowed' "$T/err"
check "lost events: rebuilt once" until_ok sh -c "[ \$(grep -c '^event: reload' '$T/events') -gt $gen_before ]"
rm "$S/content/.jixia-overflow"
printf -- '---\ntitle: About\n---\nTop-level page, after the lost events.\n' >"$S/content/about.md"
check "lost events: a later edit is served" until_ok served_has /about/ "after the lost events"
mkdir "$S/content/notes/later"
printf -- '---\ntitle: Later\n---\nA folder made after the lost events.\n' >"$S/content/notes/later/index.md"
check "lost events: a folder made later is served" until_ok served_has /notes/later/ "A folder made after"
commit "$S" "after the lost events" "2024-07-01T10:00:00Z"
check "lost events: a later commit is seen (git watched again)" \
	until_ok served_has /about/ 'datetime="2024-07-01'

# --- nothing written, other options --------------------------------------------
check "nothing written into the site" sh -c "[ ! -e '$S/public' ] && [ -z \"\$(git -C '$S' status --porcelain --ignored | grep -v '^ M content/\|^ D content/\|^?? content/notes/new/\|^?? static/\|^ M assets/')\" ]"
check "drafts are not served without --drafts" served_status /notes/draft/ 404
"$JIXIA" serve "$S" --port "$port" >"$T/out2" 2>"$T/err2"
check "a port in use: exit 2" [ $? -eq 2 ]
check "a port in use: said so" grep -q "port $port on 127.0.0.1 is in use" "$T/err2"
"$JIXIA" serve "$S" --ref HEAD >/dev/null 2>"$T/err2"
check "--ref is refused (exit 2)" sh -c "[ $? -eq 2 ] && grep -q 'build and check' '$T/err2'"

: >"$T/out3"
"$JIXIA" serve "$S" --port 0 --drafts >"$T/out3" 2>"$T/err3" &
pid3=$!
until_ok grep -q '^jixia: serving' "$T/out3"
url3=$(sed -n 's#^jixia: serving \(http[^ ]*\) .*#\1#p' "$T/out3")
check "--drafts serves drafts" sh -c "curl -s --noproxy '*' '${url3}notes/draft/' | grep -q 'Not yet'"
kill -TERM $pid3
wait $pid3
check "SIGTERM: exit 0" [ $? -eq 0 ]

# a page or a static file where the event stream is: refused, by build and check alike
mkdir -p "$T/res/content" "$T/res/static/_jixia"
printf 'title: Reserved\n' >"$T/res/site.yaml"
printf -- '---\ntitle: Events\nslug: _jixia\n---\nx\n' >"$T/res/content/x.md"
printf 'x\n' >"$T/res/static/_jixia/events"
"$JIXIA" check "$T/res" 2>"$T/err4"
check "check fails on pages and files at _jixia/ (reserved for serve)" [ $? -eq 1 ]
check "a page with the slug _jixia is refused" grep -q "^content/x.md: error: '_jixia' is a name jixia uses" "$T/err4"
check "a static file under _jixia/ is refused" grep -q "^static/_jixia/events: error: would be published at _jixia/events" "$T/err4"

# --- stop ----------------------------------------------------------------------
kill -INT $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 $pid 2>/dev/null && kill -9 $pid
wait $pid
check "SIGINT: exit 0" [ $? -eq 0 ]
check "SIGINT: the event stream ended" until_ok sh -c "! kill -0 $ev 2>/dev/null"
kill $ev 2>/dev/null

# --- --bind 0.0.0.0: links on the name the browser used, other names refused --------
# The whole 127.0.0.0/8 is this machine's: 127.0.0.2 stands for a LAN address.
: >"$T/bout"
"$JIXIA" serve "$S" --port 0 --bind 0.0.0.0 >"$T/bout" 2>"$T/berr" &
bpid=$!
until_ok grep -q '^jixia: serving' "$T/bout"
bport=$(sed -n 's#^jixia: serving http://127\.0\.0\.1:\([0-9]*\)/ .*#\1#p' "$T/bout")
check "0.0.0.0: the local origin is printed first" [ -n "$bport" ]
check "0.0.0.0: where other machines reach it is printed" grep -q "^jixia: from other machines: http://.*:$bport/\$\|^jixia: from other machines: this machine's address, port $bport\$" "$T/bout"
check "0.0.0.0: a warning that the network can read the preview" grep -q '^jixia: warning: listening beyond this machine' "$T/berr"
curl -s --noproxy '*' -o "$T/b1" "http://127.0.0.1:$bport/en/faq/bloat/"
curl -s --noproxy '*' -o "$T/b2" "http://127.0.0.2:$bport/en/faq/bloat/"
check "0.0.0.0: a page asked for at another address has its links there" grep -qF "\"http://127.0.0.2:$bport/en/faq/bloat/\"" "$T/b2"
check "0.0.0.0: ... and none left on 127.0.0.1" sh -c "! grep -qF '127.0.0.1:$bport' '$T/b2'"
check "0.0.0.0: ... and it is the same page otherwise" sh -c "sed 's#http://127\.0\.0\.1:$bport#http://127.0.0.2:$bport#g' '$T/b1' | cmp -s - '$T/b2'"
check "0.0.0.0: the feed's links too" sh -c "curl -s --noproxy '*' 'http://127.0.0.2:$bport/atom.xml' | grep -qF 'href=\"http://127.0.0.2:$bport/atom.xml\"'"
bstatus() { curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$@"; }
check "0.0.0.0: another site's name (DNS rebinding): 403" [ "$(bstatus -H "Host: attacker.example:$bport" "http://127.0.0.1:$bport/")" = 403 ]
check "0.0.0.0: an address other than the one connected to: 403" [ "$(bstatus -H "Host: 127.0.0.3:$bport" "http://127.0.0.2:$bport/")" = 403 ]
check "0.0.0.0: another port: 403" [ "$(bstatus -H "Host: 127.0.0.2:1" "http://127.0.0.2:$bport/")" = 403 ]
host=$(hostname 2>/dev/null)
case $host in
'' | *[!A-Za-z0-9.-]* | localhost) ok "0.0.0.0: the host name (none usable here)" ;;
*)
	check "0.0.0.0: the machine's host name is answered, links on it" \
		sh -c "curl -s --noproxy '*' -H 'Host: $host:$bport' 'http://127.0.0.1:$bport/about/' | grep -qF '\"http://$host:$bport/about/\"'"
	;;
esac
kill -INT $bpid
wait $bpid
check "0.0.0.0: SIGINT: exit 0" [ $? -eq 0 ]

# :: (IPv6 and IPv4 alike), when this machine has IPv6 loopback
: >"$T/bout"
"$JIXIA" serve "$S" --port 0 --bind :: >"$T/bout" 2>"$T/berr" &
bpid=$!
until_ok sh -c "grep -q '^jixia: serving' '$T/bout' || ! kill -0 $bpid 2>/dev/null"
bport=$(sed -n 's#^jixia: serving http://\[::1\]:\([0-9]*\)/ .*#\1#p' "$T/bout")
if [ -z "$bport" ]; then
	ok ":: (no IPv6 here: $(head -c 200 "$T/berr"))"
else
	check ":: the links on [::1]" sh -c "curl -sg --noproxy '*' 'http://[::1]:$bport/about/' | grep -qF '\"http://[::1]:$bport/about/\"'"
	check ":: an IPv4 client on 127.0.0.2 gets its links there" sh -c "curl -s --noproxy '*' 'http://127.0.0.2:$bport/about/' | grep -qF '\"http://127.0.0.2:$bport/about/\"'"
	check ":: another site's name: 403" [ "$(bstatus -g -H "Host: attacker.example:$bport" "http://[::1]:$bport/")" = 403 ]
fi
kill -INT $bpid 2>/dev/null
wait $bpid

# --- SIGINT during a rebuild: the build is dropped, the server stops at once -----
# A site large enough that a whole build takes a while; site.yaml edited
# (everything is built again), SIGINT a moment into that rebuild. Stopping
# must take less than half the first build (and at most 5 s); before, it
# waited for the rebuild to end.
B=$T/big
mkdir -p "$B/content/notes"
printf 'title: Big\nbase_url: https://example.org/\n' >"$B/site.yaml"
awk -v dir="$B/content/notes" -v n=3000 'BEGIN {
	for (i = 0; i < n; i++) {
		f = sprintf("%s/p%04d.md", dir, i)
		printf "---\ntitle: Page %d\ntags: [t%d, u%d]\n---\n", i, i % 40, i % 7 > f
		for (k = 0; k < 30; k++)
			printf "Paragraph %d of page %d: words to index, **strong** and `code`, [a link](/notes/p%04d/).\n\n", k, i, (i + k) % n > f
		close(f)
	}
}'
ms() { echo $(($(date +%s%N) / 1000000)); }
: >"$T/gout"
t0=$(ms)
"$JIXIA" serve "$B" --port 0 >"$T/gout" 2>"$T/gerr" &
gpid=$!
i=0
while ! grep -q '^jixia: serving' "$T/gout" && kill -0 $gpid 2>/dev/null && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
first=$(($(ms) - t0))
bound=$((first / 2 < 5000 ? first / 2 : 5000))
printf '# a change\n' >>"$B/site.yaml"
# the line is printed as the rebuild starts: polled closely, so the signal comes early in it
i=0
while ! grep -q '^jixia: site.yaml changed' "$T/gerr" && [ $i -lt 500 ]; do
	sleep 0.02
	i=$((i + 1))
done
t0=$(ms)
kill -INT $gpid
i=0
while kill -0 $gpid 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.02
	i=$((i + 1))
done
took=$(($(ms) - t0))
kill -0 $gpid 2>/dev/null && kill -9 $gpid
wait $gpid
grc=$?
echo "  (first build and serve $first ms; stopped in $took ms; bound $bound ms)"
check "SIGINT during a rebuild: exit 0" [ $grc -eq 0 ]
check "SIGINT during a rebuild: stops before the rebuild would end (under half a build, 5 s at most)" [ "$took" -lt "$bound" ]
check "SIGINT during a rebuild: the build was dropped, not finished" sh -c "grep -q '^jixia: stopping: the build under way is dropped' '$T/gerr' && ! grep -q '^jixia: rebuilt' '$T/gerr'"
# --- the watcher's changed paths handed to the source stage --------------------
# serve -v says what its source stage did: "N changed paths looked at" when
# the watcher named every change (an edit, a save by rename, a delete, a
# backup file~ no batch rebuilds for), "every folder walked" when it could
# not (a new folder). After them all (committed), every file served is a
# cold build's of the same tree.
H=$T/hand
mkrepo "$H"
mkdir -p "$H/content/notes"
cp "$S/site.yaml" "$H/site.yaml"
printf -- '---\ntitle: One\n---\nFirst.\n' >"$H/content/notes/one.md"
printf -- '---\ntitle: Two\n---\nSecond.\n' >"$H/content/notes/two.md"
printf -- '---\ntitle: Three\n---\nThird.\n' >"$H/content/notes/three.md"
commit "$H" "the site" "2024-05-01T10:00:00Z"
sleep 0.3 # files written in the clock tick of a walk are looked at again (racy): not these
"$JIXIA" serve -v "$H" --port 0 >"$T/hout" 2>"$T/herr" &
hpid=$!
until_ok grep -q '^jixia: serving http' "$T/hout"
url=$(sed -n 's#^jixia: serving \(http://127\.0\.0\.1:[0-9]*/\) .*#\1#p' "$T/hout")
mark=0
src_since() { grep '^jixia: source' "$T/herr" | tail -n +$((mark + 1)); }
# then waits past the clock tick of the last walk: a file that walk read in
# its tick is racy and looked at once more by the next (source.c), and
# rebuilds now follow a save by a few ms, so the next edit would find it so
next_mark() { mark=$(grep -c '^jixia: source' "$T/herr"); sleep 0.2; }
# looked LO HI: the last source line since the mark looked at LO to HI paths
# (a file read in the clock tick of its walk is looked at once more, racy)
looked() { grep '^jixia: source' "$T/herr" | tail -n +$((mark + 1)) | tail -n 1 | grep -qE " [0-9]+ read, [$1-$2] changed paths looked at\$"; }
next_mark
check "hand-over: the first build walks every folder" grep -q '^jixia: source .* every folder walked$' "$T/herr"

printf -- '---\ntitle: One\n---\nFirst, edited.\n' >"$H/content/notes/one.md"
check "hand-over: an edit is served" until_ok served_has /notes/one/ "First, edited"
check "hand-over: an edit looks at its file only" looked 1 2
next_mark

printf -- '---\ntitle: Two\n---\nSecond, saved by rename.\n' >"$H/content/notes/two.md.tmp"
mv "$H/content/notes/two.md.tmp" "$H/content/notes/two.md"
check "hand-over: a save by rename is served" until_ok served_has /notes/two/ "saved by rename"
check "hand-over: a save by rename looks at the file and its temporary name only" looked 1 3
next_mark

mkdir "$H/content/fresh"
printf -- '---\ntitle: Fresh\n---\nIn a new folder.\n' >"$H/content/fresh/page.md"
check "hand-over: a page in a new folder is served" until_ok served_has /fresh/page/ "In a new folder"
check "hand-over: a new folder: every folder walked" sh -c "grep '^jixia: source' '$T/herr' | tail -n +$((mark + 1)) | grep -q 'every folder walked$'"
next_mark

printf -- '---\ntitle: Fresh\n---\nEdited in the new folder.\n' >"$H/content/fresh/page.md"
check "hand-over: an edit in the new folder is served" until_ok served_has /fresh/page/ "Edited in the new folder"
check "hand-over: and looks at its file only" looked 1 2
next_mark

rm "$H/content/notes/three.md"
check "hand-over: a deleted page: 404" until_ok served_status /notes/three/ 404
check "hand-over: a delete looks at its path only" looked 1 2
next_mark

# a backup file alone rebuilds nothing, but the next rebuild looks at it
# (and refuses to publish it, as a cold build does); gone, the same
printf 'backup\n' >"$H/content/notes/one.md~"
printf -- '---\ntitle: One\n---\nFirst, edited again.\n' >"$H/content/notes/one.md"
check "hand-over: a backup file made before an edit is seen with it, as a cold build sees it" \
	until_ok grep -q "^content/notes/one.md~: error: '.md~' files are not published" "$T/herr"
check "hand-over: the backup file is looked at with the edit" looked 2 3
next_mark
rm "$H/content/notes/one.md~"
printf -- '---\ntitle: One\n---\nFirst, edited a third time.\n' >"$H/content/notes/one.md"
check "hand-over: the backup file gone, the next edit is served" until_ok served_has /notes/one/ "a third time"
check "hand-over: the gone backup file is looked at with the edit" looked 2 3
next_mark

sed -i 's/^title: .*/title: Handed Over/' "$H/site.yaml"
check "hand-over: a site.yaml edit is served" until_ok served_has / "Handed Over"
check "hand-over: a site.yaml edit looks at it only" looked 1 2
next_mark

commit "$H" "the edits" "2024-05-02T10:00:00Z"
check "hand-over: a commit is seen, no file looked at but the racy ones" until_ok looked 0 2
sleep 0.5
git clone -q "$H" "$T/hcold"
sed -i "s#^base_url: .*#base_url: ${url}#" "$T/hcold/site.yaml"
"$JIXIA" build "$T/hcold" -o "$T/hcold-out" 2>"$T/hcold-err"
same=0
differ=""
for f in $(cd "$T/hcold-out" && find . -type f ! -name .jixia-output | sed 's#^\./##' | sort); do
	code=$(status "/$f")
	case $f in
	*.html) strip_script "$T/body" >"$T/stripped" ;;
	*) cp "$T/body" "$T/stripped" ;;
	esac
	if [ "$code" = 200 ] && cmp -s "$T/stripped" "$T/hcold-out/$f"; then
		same=$((same + 1))
	else
		differ="$differ $f($code)"
	fi
done
check "hand-over: every file served is a cold build's, byte for byte ($same files)" [ -z "$differ" ] && [ "$same" -gt 20 ]
[ -z "$differ" ] || echo "  differ:$differ"
kill -INT $hpid
wait $hpid
finish
