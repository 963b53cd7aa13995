#!/bin/sh
# stamp.sh: the build stamp (incr.c). A build with the inputs of the build
# that made the output stops at "up to date" and leaves the output as it
# is; any change of input, option or jixia itself, a build that warned, an
# output replaced or removed, or another kind of build into the same
# output in between, makes it a full build again.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME="$T/cache" CI=1
S="$T/site"
mkrepo "$S"
mkdir -p "$S/content/faq"
printf 'title: Stamp site\nbase_url: https://example.org/\nlanguages:\n  - {code: en, name: English, default: true}\n' >"$S/site.yaml"
printf -- '---\ntitle: One\n---\n\nBody one.\n' >"$S/content/faq/one.md"
commit "$S" first 2024-01-02T00:00:00Z

b() { "$JIXIA" build -v "$S" -o "$T/out" "$@" 2>"$T/err"; }
uptodate() { grep -q 'up to date' "$T/err"; }
ino() { stat -c %i "$T/out/faq/one/index.html"; }

check "first build" b
check "  a stamp saved" test -n "$(ls "$T/cache/jixia/"*.stamp)"
i=$(ino)
check "same inputs: up to date" b
check "  says so" uptodate
check "  output untouched" test "$(ino)" = "$i"
check "  no spare made" test ! -e "$T/.out.spare"

printf -- '---\ntitle: One\n---\n\nBody two.\n' >"$S/content/faq/one.md"
b
check "an edit: a full build" sh -c '! grep -q "up to date" "$0"' "$T/err"
check "  the edit is there" contains "$T/out/faq/one/index.html" "Body two."
b
check "then up to date again" uptodate
commit "$S" second 2024-01-03T00:00:00Z
b
check "a commit, no edit: a full build" sh -c '! grep -q "up to date" "$0"' "$T/err"
b --now 2024-05-01
check "another --now: a full build" sh -c '! grep -q "up to date" "$0"' "$T/err"
b --now 2024-05-01
check "  then up to date" uptodate
b --now 2024-05-01 --drafts
check "--drafts: a full build" sh -c '! grep -q "up to date" "$0"' "$T/err"

# The stamp holds each file by its identity (source.h), its bytes hashed
# only when it changed as the walk began: a rebuild hashes no 45 MB of
# pages to find them unchanged. An edit that keeps the length and puts
# the modification time back still changes the file's change time.
sleep 1
printf -- '---\ntitle: One\n---\n\nBody one.\n' >"$S/content/faq/one.md"
sleep 1
b
b
check "an edit then no change: up to date" uptodate
stamped() { sed -n 's/^jixia: stamp .*, \([0-9][0-9]*\) of [0-9]* files by their bytes$/\1/p' "$T/err"; }
check "  no file's bytes hashed" test "$(stamped)" = 0
printf -- '---\ntitle: One\n---\n\nBody six.\n' >"$T/same-length.md"
touch -r "$S/content/faq/one.md" "$T/same-length.md"
cp -p "$T/same-length.md" "$S/content/faq/one.md"
b
check "the same length and modification time, other bytes: a full build" contains "$T/out/faq/one/index.html" "Body six."
check "  not up to date" sh -c '! grep -q "up to date" "$0"' "$T/err"
check "  the edited file's bytes hashed" test "$(stamped)" -ge 1
b
check "  then up to date" uptodate

# Another jixia (another build id) never takes this one's stamp; a copy
# of this one (its bytes and more, its build id the same) does.
b
another_jixia "$JIXIA" "$T/jixia2"
"$T/jixia2" build -v "$S" -o "$T/out" 2>"$T/err"
check "another jixia: a full build" sh -c '! grep -q "up to date" "$0"' "$T/err"
if [ -n "$(build_id "$JIXIA")" ]; then
	b
	cp "$JIXIA" "$T/jixia3" && printf x >>"$T/jixia3"
	"$T/jixia3" build -v "$S" -o "$T/out" 2>"$T/err"
	check "a copy of this jixia: up to date" uptodate
fi

# The output removed, or replaced by hand: a full build.
b
rm -rf "$T/out"
b
check "output removed: a full build" test -f "$T/out/faq/one/index.html"
check "  not up to date" sh -c '! grep -q "up to date" "$0"' "$T/err"
touch "$T/out/extra.html"
b
check "a file added at the top of the output: a full build" test ! -e "$T/out/extra.html"

# A --changed-since build into the same output drops the stamp it may not match.
b
printf -- '---\ntitle: One\n---\n\nBody three.\n' >"$S/content/faq/one.md"
"$JIXIA" build "$S" -o "$T/out" --changed-since HEAD 2>/dev/null
printf -- '---\ntitle: One\n---\n\nBody two.\n' >"$S/content/faq/one.md"
b
check "after a --changed-since build with other inputs: a full build" contains "$T/out/faq/one/index.html" "Body two."

# A build that warned warns again: no stamp.
printf -- '---\ntitle: One\nbogus: 1\n---\n\nBody two.\n' >"$S/content/faq/one.md"
b
b
check "a warning: shown again, not up to date" grep -q "bogus" "$T/err"
finish
