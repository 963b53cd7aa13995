#!/bin/sh
# answers.sh: the answers of the questions' old versions `jixia build` keeps
# on disk between rebuilds (diskcache.c's answers-*.cache, history.h's
# struct history_blob_memo). When a question stayed answered is read from
# each committed version's blob back from the newest (insights' questions
# answered, bounties); a rebuild takes each blob's answer from the file
# and reads from git only the versions of commits made since. The output
# is always a cold build's: after edits, commits that open and answer a
# question again, renames, a copy of a question (the same blob at two
# paths), and with the file cut, damaged or full of garbage (ignored: every
# version read again).
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME="$T/cache" CI=1 SOURCE_DATE_EPOCH=1745107200
S=$T/site
mkrepo "$S"
cat >"$S/site.yaml" <<'Y'
title: Answers
base_url: https://example.org/
types:
  ask:
    folder: asks
    roles: {question: state}
    fields:
      title: {type: string, required: true}
      status: {type: string}
      state: {type: enum, values: [open, answered]}
Y
q() { # q PATH BODY FRONT-MATTER-LINES...
	f=$S/content/$1
	b=$2
	shift 2
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; printf '%s\n' "$b"; } >"$f"
}
# q1 answered from the start; q2 open, answered in February, opened again in
# March and answered in April; q3 empty until March; q4 answered, renamed in
# April. Every answer at another month: the insights' questions series
# tells them apart.
q docs/a.md 'A.' 'title: A'
q faq/q1.md 'Yes.' 'title: Q1'
q faq/q2.md 'Soon.' 'title: Q2' 'status: open'
q faq/q3.md '' 'title: Q3'
q faq/q4.md 'Four.' 'title: Q4'
commit "$S" jan 2025-01-10T10:00:00Z
q faq/q2.md 'Now answered.' 'title: Q2'
commit "$S" feb 2025-02-05T10:00:00Z
q faq/q2.md 'Again.' 'title: Q2' 'status: open'
q faq/q3.md 'Three.' 'title: Q3'
commit "$S" mar 2025-03-03T10:00:00Z
q faq/q2.md 'Answered for good.' 'title: Q2'
git -C "$S" mv content/faq/q4.md content/faq/q4-moved.md
commit "$S" apr 2025-04-02T10:00:00Z

b() { "$JIXIA" build -v -j 2 "$S" -o "$T/out" "$@" 2>"$T/err"; }
b1() { "$JIXIA" build -v -j 1 "$S" -o "$T/out" 2>"$T/err"; }
# The model line's answers kept (taken from the file) and read (from git).
kept() { sed -n 's/.*files, \([0-9][0-9]*\) answers kept, [0-9]* read.*/\1/p' "$T/err"; }
read_() { sed -n 's/.*files, [0-9]* answers kept, \([0-9][0-9]*\) read.*/\1/p' "$T/err"; }
counts() { [ "$(kept)/$(read_)" = "$1/$2" ] || { echo "kept/read $(kept)/$(read_), not $1/$2" >&2 && false; }; }
# All from git (nothing kept) or all from the file: 6 versions are read (q4's
# rename reads the blob of its first version twice: kept from the first).
all_read() { counts 0 5; }
none_read() { counts 6 0; }
some_read() { [ "$(kept)" = 0 ] && [ "$(read_)" -gt 0 ]; }
cold() {
	rm -rf "$T/cold" "$T/cold-cache"
	XDG_CACHE_HOME="$T/cold-cache" "$JIXIA" build -j 2 "$S" -o "$T/cold" 2>/dev/null &&
		diff -r "$T/cold" "$T/out" >&2
}
afile() { ls "$T/cache/jixia/"answers-*.cache; }
# Each build after an edit (a build of what the output has already stops early).
e=0
edit() { e=$((e + 1)) && printf '\nEdit %s.\n' "$e" >>"$S/content/docs/a.md"; }

check "first build, a new output" b
check "  no answers file made" sh -c '! ls "$0"/jixia/answers-*.cache 2>/dev/null' "$T/cache"
check "  the questions by month, by hand" contains "$T/out/insights/data.csv" questions_answered
edit
check "a rebuild" b
check "  every version read from git" all_read
check "  the answers file made" test -f "$(afile)"
check "  output equals a cold build" cold
edit
check "a one-page edit" b
check "  every answer kept, none read" none_read
check "  output equals a cold build" cold
edit
check "at -j1 too" b1
check "  every answer kept, none read" none_read
check "  output equals a cold build" cold

# A commit: the versions never read before are read, the others kept. q3
# emptied again has January's bytes (its blob: kept); q1, answered when it
# was added and never read so far (the insights count it from then), now
# has a newer version: both of its versions read.
q faq/q3.md '' 'title: Q3'
q faq/q1.md 'Yes, still.' 'title: Q1'
commit "$S" may 2025-05-06T10:00:00Z
check "a commit empties q3 and edits q1" b
check "  q1's two versions alone read" counts 4 2
check "  output equals a cold build" cold
# The same bytes at another path: the same blob, its answer kept.
cp "$S/content/faq/q1.md" "$S/content/faq/q1-copy.md"
commit "$S" jun 2025-06-01T10:00:00Z
check "a copy of q1 committed" b
check "  nothing read: its blob answered already" test "$(read_)" = 0
check "  output equals a cold build" cold

# The same bytes asked by two questions' fields: a faq's (status) and an
# ask's (state). "status: open" leaves the faq open and the ask answered;
# both answered in July, the faq from July, the ask from June. An answer
# kept under the blob alone would give one the other's.
same() { printf -- '---\ntitle: Same\n%s---\n%s\n' "$1" "$2"; }
same 'status: open
' 'Body.' >"$S/content/faq/q6.md"
mkdir -p "$S/content/asks"
cp "$S/content/faq/q6.md" "$S/content/asks/a1.md"
commit "$S" jun2 2025-06-15T10:00:00Z
edit
check "one blob in two types' questions" b
check "  output equals a cold build" cold
same '' 'Answered.' >"$S/content/faq/q6.md"
cp "$S/content/faq/q6.md" "$S/content/asks/a1.md"
commit "$S" jul 2025-07-02T10:00:00Z
edit
check "both answered in the next commit" b
check "  output equals a cold build" cold
check "  the faq answered in July, the ask in June" python3 -c '
import json, sys
rows = {r["period"]: r for r in json.load(open(sys.argv[1]))["periods"]}
# June: q1, its copy, q2, q4 and the ask; July: the faq too
sys.exit((rows["2025-06"]["questions_answered"], rows["2025-07"]["questions_answered"]) != (5, 6))
' "$T/out/insights/data.json"

# The file damaged: ignored, every version read again, the same site.
edit
b
f=$(afile)
cp "$f" "$T/good"
head -c 100 "$T/good" >"$f"
edit
check "the file cut" b
check "  every version read again" some_read
check "  output equals a cold build" cold
cp "$T/good" "$f"
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-1] ^= 1; open(sys.argv[1], "wb").write(b)' "$f"
edit
check "an answer's byte flipped (the checksum fails)" b
check "  every version read again" some_read
check "  output equals a cold build" cold
for mode in answers-two answers-len; do
	cp "$T/good" "$f"
	python3 "$(dirname "$0")/diskcache.py" "$f" $mode
	edit
	check "sealed, with $mode" b
	check "  every version read again" some_read
	check "  output equals a cold build" cold
done
cp "$T/good" "$f"
python3 "$(dirname "$0")/diskcache.py" "$f" answers-reseal
edit
check "sealed again, nothing changed (the control)" b
check "  none read" test "$(read_)" = 0
head -c 4096 /dev/urandom >"$f"
edit
check "the file garbage" b
check "  every version read again" some_read
check "  output equals a cold build" cold
rm -f "$f"
mkdir "$f"
edit
check "the file a folder" b
check "  output equals a cold build" cold
rmdir "$f"
edit
check "then a rebuild writes it again" b
check "  the answers file made" test -f "$(afile)"
edit
check "and the next one keeps them all" b
check "  none read" test "$(read_)" = 0
check "  output equals a cold build" cold
# A build into a new output has no answers file: the newest version of each
# question is answered from its file as it was parsed, before the file is
# freed (by blob id, site.c's contributors_wt), the older ones from git. An
# edit not committed is not HEAD's blob: HEAD's version is read from git.
nb() { rm -rf "$T/new$1" && "$JIXIA" build -v -j "$1" "$S" -o "$T/new$1" 2>"$T/err"; }
for j in 2 1; do
	check "a new output at -j$j" nb $j
	check "  the newest versions answered from the working tree" counts 6 4
	check "  the same site as the rebuild's" diff -r "$T/new$j" "$T/out"
done
q faq/q2.md 'Answered, edited, not committed.' 'title: Q2'
check "q2 edited, not committed: a rebuild" b
check "  a new output" nb 2
check "  q2's newest version read from git" counts 5 5
check "  the same site as the rebuild's" diff -r "$T/new2" "$T/out"
finish
