# cli.sh — the build command end to end: atomic output, error positions,
# --ref, determinism across -j, the summary line on a terminal, refused
# output folders, help and the man page, exit codes.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkrepo "$site"
mkdir -p "$site/content/faq" "$site/content/notes"
cat >"$site/site.yaml" <<'Y'
title: Test Community
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
Y
cat >"$site/content/faq/bloat.md" <<'Y'
---
title: 为什么表会膨胀？
tags: [vacuum]
---
## 原因

MVCC 会留下旧版本的行。
Y
cat >"$site/content/faq/bloat.en.md" <<'Y'
---
title: Why does my table bloat?
---
Old row versions stay until **VACUUM**.
Y
cat >"$site/content/notes/first.md" <<'Y'
---
title: Version one
---
The first version of this talk.
Y
commit "$site" "first" "2024-01-01T10:00:00Z"
first=$(git -C "$site" rev-parse HEAD)
cat >"$site/content/notes/first.md" <<'Y'
---
title: Version two
---
The second version of this talk.
Y
commit "$site" "second" "2024-02-01T10:00:00Z"

# A clean build succeeds and writes the pages.
"$JIXIA" build "$site" -o "$T/out" 2>"$T/err"
check "build exits 0" test $? -eq 0
check "page written" test -f "$T/out/faq/bloat/index.html"
check "translation under /en/" contains "$T/out/en/faq/bloat/index.html" "Why does my table bloat?"
check "markdown rendered" contains "$T/out/en/faq/bloat/index.html" "<strong>VACUUM</strong>"
check "front matter escaped, body present" contains "$T/out/faq/bloat/index.html" "MVCC"
check "home page per language" test -f "$T/out/index.html" -a -f "$T/out/en/index.html"
check "assets copied" test -f "$T/out/assets/style.css"

# --ref of the older commit renders that commit's content, no checkout.
"$JIXIA" build "$site" --ref "$first" -o "$T/old" 2>"$T/err"
check "--ref old commit exits 0" test $? -eq 0
check "--ref renders old content" contains "$T/old/notes/first/index.html" "Version one"
check "--ref leaves worktree alone" contains "$site/content/notes/first.md" "Version two"
"$JIXIA" build "$site" --ref refs/heads/main -o "$T/head" 2>"$T/err"
check "--ref refs/heads/main" contains "$T/head/notes/first/index.html" "Version two"
rm -f "$T/head/.jixia-output" "$T/out/.jixia-output"
check "clean worktree == --ref HEAD" diff -r "$T/out" "$T/head"
"$JIXIA" build "$site" --ref 'main~1' -o "$T/bad" 2>"$T/err"
check "--ref revparse expression refused (exit 2)" test $? -eq 2
check "--ref refusal explained" contains "$T/err" "main~1"
check "--ref expression: no did you mean" grep -qxF "jixia: error: --ref 'main~1' is not a full reference name (refs/...) or a commit id" "$T/err"
# A short name gets the reference git would take it for; a mistyped one the nearest.
git -C "$site" update-ref refs/remotes/origin/main HEAD
"$JIXIA" check "$site" --changed-since origin/main 2>"$T/err"
check "--changed-since origin/main: did you mean" grep -qxF "jixia: error: --changed-since 'origin/main' is not a full reference name (refs/...) or a commit id; did you mean 'refs/remotes/origin/main'?" "$T/err"
"$JIXIA" check "$site" --changed-since refs/heads/mian 2>"$T/err"
check "--changed-since mistyped: did you mean" grep -qxF "jixia: error: --changed-since 'refs/heads/mian': no such reference; did you mean 'refs/heads/main'?" "$T/err"
"$JIXIA" build "$site" --ref main -o "$T/bad" 2>"$T/err"
check "--ref main: did you mean" grep -qxF "jixia: error: --ref 'main' is not a full reference name (refs/...) or a commit id; did you mean 'refs/heads/main'?" "$T/err"
git -C "$site" update-ref -d refs/remotes/origin/main

# -j1 and -j4 give byte-identical output.
"$JIXIA" build "$site" -j 1 -o "$T/j1" 2>/dev/null
"$JIXIA" build "$site" -j 4 -o "$T/j4" 2>/dev/null
check "-j1 and -j4 identical" diff -r "$T/j1" "$T/j4"

# A run that succeeds, on a terminal (a pty from util-linux's script): the
# progress line ends as one summary line. In CI (CI set) or with stderr
# not a terminal: nothing, unless -v.
summary='jixia: built ([0-9]+) files \(3 pages, 2 languages\) in [0-9]+\.[0-9][0-9] s, 0 warnings'
env -u CI script -qec "'$JIXIA' build '$site' -o '$T/tty'" /dev/null >"$T/tty.log" 2>&1
check "terminal: build exits 0" test $? -eq 0
# The last state of the line: what follows the last carriage return or erase.
tr '\r' '\n' <"$T/tty.log" | sed 's/\x1b\[K//g' | grep . | tail -n 1 >"$T/tty.last"
check "terminal: the summary is the last line" grep -Eqx "$summary" "$T/tty.last"
files=$(find "$T/tty" -type f ! -name .jixia-output | wc -l)
check "terminal: the summary counts the files written" \
	test "$(sed -E "s/$summary/\\1/" "$T/tty.last")" -eq "$files"
env -u CI script -qec "'$JIXIA' check '$site'" /dev/null >"$T/tty.log" 2>&1
tr '\r' '\n' <"$T/tty.log" | sed 's/\x1b\[K//g' | grep . | tail -n 1 >"$T/tty.last"
check "terminal: check ends with its summary" \
	grep -Eqx 'jixia: checked 3 pages \(2 languages\) in [0-9]+\.[0-9][0-9] s, 0 warnings' "$T/tty.last"
CI=true script -qec "'$JIXIA' build '$site' -o '$T/tty'" /dev/null >"$T/tty.log" 2>&1
check "terminal in CI: nothing printed" test ! -s "$T/tty.log"
env -u CI "$JIXIA" build "$site" -o "$T/tty" 2>"$T/err"
check "stderr not a terminal: nothing printed" test ! -s "$T/err"
CI=true "$JIXIA" build "$site" -o "$T/tty-v" -v 2>"$T/err" # a new output: the same inputs into $T/tty are up to date (stamp.sh)
check "-v in CI: the summary last" sh -c "tail -n 1 '$T/err' | grep -Eqx '$summary'"

# A broken file: exit 1, its line:col, the previous output untouched.
"$JIXIA" build "$site" -o "$T/pub" 2>/dev/null
before=$(cd "$T/pub" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum)
cat >"$site/content/faq/broken.md" <<'Y'
---
title: Broken
tags: [a, b
---
body
Y
"$JIXIA" build "$site" -o "$T/pub" 2>"$T/err"
check "broken file exits 1" test $? -eq 1
check "diagnostic names file and line" grep -q '^content/faq/broken.md:[34]:[0-9]*: error: ' "$T/err"
after=$(cd "$T/pub" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum)
check "previous output byte-for-byte intact" test "$before" = "$after"
check "no temporary folder left" test -z "$(ls -A "$T" | grep '\.tmp-')"
rm "$site/content/faq/broken.md"

# Front matter errors report the file's real line and column.
printf -- '---\ntitle: ok\ndate: [unclosed\n---\nbody\n' >"$site/content/faq/pos.md"
"$JIXIA" build "$site" -o "$T/pub" 2>"$T/err"
check "front matter error at file line" grep -q '^content/faq/pos.md:[45]:' "$T/err"
rm "$site/content/faq/pos.md"
printf '\357\273\277---\r\ntitle: BOM and CRLF\r\n---\r\nbody text\r\n' >"$site/content/faq/crlf.md"
"$JIXIA" build "$site" -o "$T/crlf" 2>"$T/err"
check "BOM and CRLF front matter accepted" contains "$T/crlf/faq/crlf/index.html" "BOM and CRLF"
rm "$site/content/faq/crlf.md"

# Every error is reported, not just the first.
printf -- '---\ntitle: [a\n---\n' >"$site/content/faq/e1.md"
printf -- '---\n- not a mapping\n---\n' >"$site/content/faq/e2.md"
"$JIXIA" build "$site" -o "$T/pub" 2>"$T/err"
check "two broken files, two errors" test "$(grep -c ': error: ' "$T/err")" -ge 2
rm "$site/content/faq/e1.md" "$site/content/faq/e2.md"

# Raw HTML is dropped unless markdown.unsafe.
printf -- '---\ntitle: raw\n---\n<script>alert(1)</script>\n\n<b>bold</b>\n' >"$site/content/faq/raw.md"
"$JIXIA" build "$site" -o "$T/raw" 2>/dev/null
check "raw HTML dropped by default" sh -c "! grep -q '<script>alert' '$T/raw/faq/raw/index.html'"
rm "$site/content/faq/raw.md"

# Output folders that would destroy sources are refused (exit 2).
for bad in "$site" "$site/content" "$site/content/x" "$site/layouts" "$T"; do
	"$JIXIA" build "$site" -o "$bad" 2>"$T/err"
	check "output '$bad' refused" test $? -eq 2
done
mkdir -p "$T/precious" && echo keep >"$T/precious/file"
"$JIXIA" build "$site" -o "$T/precious" 2>"$T/err"
check "non-jixia folder refused" test $? -eq 2
check "non-jixia folder untouched" contains "$T/precious/file" keep

# An output inside the repository is never reached through a link in it,
# even by an absolute -o through a link of the user's own; links outside
# the repository are the user's and are followed.
mkdir -p "$T/elsewhere" && echo keep >"$T/elsewhere/keep" && : >"$T/elsewhere/.jixia-output"
ln -s "$site" "$T/sitelink"
ln -s "$T/elsewhere" "$site/linked"
"$JIXIA" build "$site" -o "$T/sitelink/linked/out" 2>"$T/err"
check "-o through a link in the repository refused" test $? -eq 2
check "the link is named" contains "$T/err" "symbolic link '$site/linked'"
"$JIXIA" build "$site" -o "$T/sitelink/linked" 2>"$T/err"
check "-o that is a link in the repository refused" test $? -eq 2
check "the folder it points to untouched" test "$(ls -A "$T/elsewhere" | tr '\n' ' ')" = ".jixia-output keep "
rm "$site/linked"
"$JIXIA" build "$T/sitelink" 2>"$T/err"
check "site named through the user's link: default output" test $? -eq 0 -a -f "$site/public/index.html"
rm -rf "$site/public"
# A CI job runs in the checkout: a site folder that is a link committed
# there is not followed to write public/ outside.
mkdir -p "$T/othersite" && cp -r "$site/site.yaml" "$site/content" "$T/othersite/"
ln -s "$T/othersite" "$site/docs"
(cd "$site" && "$JIXIA" build docs) 2>"$T/err"
check "default output through a committed site link refused" test $? -eq 2 -a ! -e "$T/othersite/public"
rm "$site/docs"
ln -s "$T/elsewhere" "$T/mine"
"$JIXIA" build "$site" -o "$T/mine" 2>"$T/err"
check "-o a link of the user's outside the repository followed" test $? -eq 0 -a -f "$T/elsewhere/index.html"

# Help: every command's own, the same through help and --help; the list;
# the man page made from the same text, rendered by man and installed.
for c in build check serve new l10n help version; do
	"$JIXIA" help "$c" >"$T/help.$c"
	check "help $c exits 0" test $? -eq 0
	check "help $c: its usage line" grep -q "^usage: jixia $c" "$T/help.$c"
	"$JIXIA" "$c" --help >"$T/opt.$c"
	check "$c --help is help $c" cmp -s "$T/help.$c" "$T/opt.$c"
done
check "help build: its options" grep -q '^  --strict  *treat warnings as errors' "$T/help.build"
check "help build: not check's options" sh -c "! grep -q -- --changed-since '$T/help.build'"
check "help check: --changed-since" grep -q '^  --changed-since REF' "$T/help.check"
check "help new: its options" grep -q '^  --slug SLUG' "$T/help.new"
check "help serve: its options" grep -q '^  --port N' "$T/help.serve"
"$JIXIA" help >"$T/help"
check "help exits 0" test $? -eq 0
check "help lists every command" sh -c "for c in build check serve new l10n help version; do grep -q \"^  \$c  \" '$T/help' || exit 1; done"
"$JIXIA" --help >"$T/help2"
check "--help is help" cmp -s "$T/help" "$T/help2"
"$JIXIA" help frobnicate >/dev/null 2>"$T/err"
check "help of an unknown command exits 2" test $? -eq 2
check "help of an unknown command says so" grep -q "unknown command 'frobnicate'" "$T/err"
"$JIXIA" build --strct "$site" >/dev/null 2>"$T/err"
check "a bad build option points to help build" grep -q "run 'jixia help build'" "$T/err"
"$JIXIA" help --man >"$T/jixia.1"
check "help --man exits 0" test $? -eq 0
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$T/jixia.1" >"$T/man.txt" 2>"$T/man.err"
	check "man -l renders jixia.1" test $? -eq 0 -a -s "$T/man.txt"
	check "man -l: no warnings" test ! -s "$T/man.err"
	check "man page: NAME" grep -q '^ *jixia - static site generator' "$T/man.txt"
	# Every command's synopsis and every option of its help are in the page.
	for c in build check serve new l10n help version; do
		check "man page: jixia $c" grep -q "^ *jixia $c" "$T/man.txt"
		sed -n 's/^  \(-[^ ]*\( [A-Z][A-Z]*\)*\).*/\1/p' "$T/help.$c" >"$T/flags.$c"
		check "man page: every option of help $c" \
			sh -c "while read -r f; do grep -qF -- \"\$f\" '$T/man.txt' || exit 1; done <'$T/flags.$c'"
	done
	check "man page: the options were found" test -s "$T/flags.build"
else
	fail "man page" "needs man-db's man (make test-deps as root)"
fi
case $B in /*) b=$B ;; *) b=$here/../$B ;; esac
if [ -f "$b/jixia.1" ]; then
	check "the Makefile's jixia.1 is help --man" cmp -s "$b/jixia.1" "$T/jixia.1"
fi
make -s -n -C "$here/.." install B="$b" DESTDIR="$T/inst" PREFIX=/opt/j >"$T/install" 2>&1
check "make install installs jixia.1" grep -q "install -m 644 $b/jixia.1 $T/inst/opt/j/share/man/man1/jixia.1" "$T/install"

# Usage.
"$JIXIA" version >"$T/v" && check "version" grep -q '^jixia ' "$T/v"
"$JIXIA" frobnicate 2>/dev/null
check "unknown command exits 2" test $? -eq 2
"$JIXIA" build "$site" -j 0 2>/dev/null
check "bad -j exits 2" test $? -eq 2
"$JIXIA" build "$T/nonexistent" -o "$T/x" 2>/dev/null
check "missing site folder exits 2" test $? -eq 2

finish
