# serve.sh — jixia serve on a small site in a git repository: statuses,
# content types, folders and their redirect, the 404 page, byte ranges,
# HEAD, the base URL on the local origin; every file it serves is the cold
# build's (the reload script taken out); an edit, a stylesheet, a deleted
# page and a broken one (the last good site stays, the errors reach the
# event stream), the overlay in Chromium; --drafts, a port in use, --ref,
# nothing written; SIGINT ends it with 0. Waits are bounded polls (10 s),
# never timings.
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

# until_ok COMMAND...: polls the command until it succeeds, for 10 s at most.
until_ok() {
	i=0
	while [ $i -lt 100 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
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
"$JIXIA" serve "$S" --port 0 >"$T/out" 2>"$T/err" &
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
finish
