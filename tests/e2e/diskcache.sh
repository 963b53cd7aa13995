#!/bin/sh
# diskcache.sh: the parse cache `jixia build` keeps on disk between runs
# (diskcache.c), for rebuilds only: a build into a new output (CI's)
# neither reads nor writes it. After a one-page edit the next build parses that page
# alone and its output is byte for byte a cold build's; another site.yaml
# or jixia binary reuses nothing; a cache file truncated, damaged, full of
# garbage, a symbolic link or a folder, or an entry crafted with a valid
# checksum (diskcache.py) is ignored (the pages parsed again,
# never a crash or another output); a page that warned is parsed (and
# warns) again. The history walk is kept from one run to the next while
# HEAD stays; its file cut, damaged or garbage makes a walk again. The
# terms of the pages are in a dictionary, each term's bytes once; the
# working tree's blob ids are kept under each file's identity (a one-page
# edit hashes that file for the history); either file damaged or hostile
# is ignored.
# search index's state (below) is kept and brought up to date after any
# edit, and ignored when it does not hold.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME="$T/cache" CI=1 SOURCE_DATE_EPOCH=1795305600
S="$T/site"
cp -R "$(dirname "$0")/../golden/model/site" "$S"
mkrepo "$S"
commit "$S" first 2024-01-02T00:00:00Z
N=$(find "$S/content" -name '*.md' | wc -l)

b() { "$JIXIA" build -v -j 2 "$S" -o "$T/out" "$@" 2>"$T/err"; }
# The pages the last build parsed (-v's parse line), not taken from the cache.
parsed() { sed -n 's/.*parse .* \([0-9][0-9]*\) parsed,.*/\1/p' "$T/err"; }
is() { [ "$(parsed)" = "$1" ] || { echo "parsed $(parsed), not $1" >&2 && false; }; }
# The output is a cold build's of the same sources (no cache, a new output).
cold() {
	rm -rf "$T/cold" "$T/cold-cache"
	XDG_CACHE_HOME="$T/cold-cache" "$JIXIA" build -j 2 "$S" -o "$T/cold" 2>/dev/null &&
		diff -r "$T/cold" "$T/out" >&2
}
cachefile() { ls "$T/cache/jixia/"parse-*.cache; }
edit() { printf '\nEdit %s.\n' "$1" >>"$S/content/$2"; }

check "first build, a new output" b
check "  no page counted as parsed rather than cached" sh -c '! grep -q " parsed," "$0"' "$T/err"
check "  no cache made for a new output" sh -c '! ls "$0"/jixia/parse-*.cache 2>/dev/null' "$T/cache"
check "  no history cache either" sh -c '! ls "$0"/jixia/history-*.cache 2>/dev/null' "$T/cache"
check "  jixia check makes none" "$JIXIA" check "$S"
check "  still none" sh -c '! ls "$0"/jixia/parse-*.cache 2>/dev/null' "$T/cache"

edit 0 faq/bloat.md
check "a rebuild into it" b
check "  parses every page" is "$N"
check "  the cache file made" test -f "$(cachefile)"
# The pages' terms in term records (a dictionary), each term's bytes once:
# records N: N term records, more than 50 terms, none twice.
terms() { python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" terms; }
records() {
	set -- "$1" $(terms)
	[ "$2" = "$1" ] && [ "$3" -gt 50 ] && [ "$4" = 0 ] || { echo "records, terms, twice: $2 $3 $4" >&2 && false; }
}
check "  its terms in one term record, none twice" records 1

edit 1 faq/bloat.md
check "one page edited" b
check "  that page alone parsed" is 1
check "  output equals a cold build" cold
check "  the edit is there" contains "$T/out/faq/bloat/index.html" "Edit 1."
# The other pages' files are known by their identity (device, inode, times,
# length: what fstat said when their entry was written), their bytes not
# hashed; a file written again in place with the same length and its
# modification time put back has another change time: hashed and parsed.
hashed() { sed -n 's/.*, \([0-9][0-9]*\) files hashed$/\1/p' "$T/err"; }
check "  only its file hashed" test "$(hashed)" = 1
# the history's -v line: the working tree's files hashed to compare them with HEAD's
hhashed() { sed -n 's/^jixia: history .*, \([0-9][0-9]*\) files hashed.*/\1/p' "$T/err"; }
check "  the history hashed only its file too" test "$(hhashed)" = 1
# The pages' files are not even read (source.h's source_open_lazy): the
# other stages know them by their identity; the -v source line counts the
# files read: site.yaml, the layouts and assets, and the edited page at most.
files() { sed -n 's/^jixia: source .* \([0-9][0-9]*\) files, .*/\1/p' "$T/err"; }
nread() { sed -n 's/^jixia: source .*, \([0-9][0-9]*\) read$/\1/p' "$T/err"; }
check "  the other pages' files not read" sh -c '[ -n "$0" ] && [ "$0" -le "$1" ]' "$(nread)" $(($(files) - N + 1))
f=$S/content/talks/2023-partition.md
m=$(stat -c %y "$f")
python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); open(sys.argv[1], "r+b").write(b.replace("分区。".encode(), "分区！".encode()))' "$f"
touch -d "$m" "$f"
check "a page written again in place, same length and modification time" b
check "  that page parsed" is 1
check "  the text changed" contains "$T/out/talks/2023-partition/index.html" "分区！"
# (and the page edited right before the last build: its entry was written racy)
check "  its file hashed" test "$(hashed)" -ge 1 -a "$(hashed)" -le 2
check "  output equals a cold build" cold

# A few pages parsed: their entries appended to the file in place (the same
# file, grown by them), not every entry written again; the last entry of a
# path stands for it. Once a quarter of the file is entries no page takes,
# it is written again without them.
ino() { stat -c %i "$(cachefile)"; }
size() { stat -c %s "$(cachefile)"; }
i0=$(ino) s0=$(size) r0=$(terms | cut -d' ' -f1)
edit 1b faq/bloat.md
check "another one-page edit" b
check "  that page alone parsed" is 1
check "  its entry appended to the same file" test "$(ino)" = "$i0"
check "  the file grown by less than its size" test "$(size)" -gt "$s0" -a "$(size)" -lt $((2 * s0))
check "  a term record appended for its new terms, none twice" records $((r0 + 1))
d=$(($(size) - s0))
check "  output equals a cold build" cold
edit 1b talks/2025-replication.md
check "another page edited: the appended entry stands" b
check "  that other page alone parsed" is 1
cp "$S/content/faq/bloat.md" "$T/bloat.md"
sed -i '$d' "$S/content/faq/bloat.md"
check "the page's edit taken back: its older entry does not stand" b
check "  that page parsed" is 1
check "  output equals a cold build" cold
cp "$T/bloat.md" "$S/content/faq/bloat.md"
k=0
while [ $k -lt 12 ]; do
	edit "c$k" faq/bloat.md
	b
	k=$((k + 1))
done
check "twelve one-page edits later: the file written again without dead entries" test "$(size)" -lt $((s0 + 8 * d))
check "  the last edit parsed that page alone" is 1
check "  output equals a cold build" cold
"$JIXIA" build -j 2 "$S" -o "$T/out2" 2>/dev/null
edit 1c faq/bloat.md
edit 1c talks/2023-partition.md
b &
"$JIXIA" build -j 2 "$S" -o "$T/out2" 2>/dev/null
check "two rebuilds at once (one cache) after two edits" wait $!
check "  one output equals a cold build" cold
check "  the other's too" diff -r "$T/cold" "$T/out2"
edit 1d faq/bloat.md
check "then a one-page edit" b
check "  that page alone parsed" is 1
check "  output equals a cold build" cold
rm -rf "$T/out2" "$T/cache/jixia/"render-*.cache # the rest reads one output's render state
edit 1e faq/bloat.md
b

commit "$S" second 2024-01-03T00:00:00Z
check "a commit, no edit: a build" b
check "  nothing parsed" is 0
# (but the page edited right before the last build: racy then)
check "  no file hashed for the history (their ids kept)" test "$(hhashed)" -le 1
check "  output equals a cold build" cold

# The site copied away and back (a clone, a copy): the same paths and bytes,
# every file another inode. Its entries are reused by their bytes' digest,
# each file hashed once, and written again with the file's new identity:
# the build after trusts the files by their stat again.
cp -a "$S" "$T/site-copy" && rm -rf "$S" && mv "$T/site-copy" "$S"
sleep 1 # the files' change times older than the walk: not racy
check "the site copied (new inodes): a build" b
check "  nothing parsed" is 0
check "  every page file hashed once" test "$(hashed)" = "$N"
check "  output equals a cold build" cold
edit 1f faq/bloat.md
check "then a one-page edit" b
check "  that page alone parsed" is 1
check "  only its file hashed: the others known by their new identity" test "$(hashed)" = 1
check "  output equals a cold build" cold

rm "$S/content/cases/two.md"
check "a page removed" b
check "  nothing parsed" is 0
check "  output equals a cold build" cold
commit "$S" third 2024-01-04T00:00:00Z

printf '# a comment\n' >>"$S/site.yaml"
check "site.yaml changed" b
check "  every page parsed" is $((N - 1))
check "  output equals a cold build" cold

# The caches are keyed by jixia's build id (incr.c's S_exe_read): a copy of
# the same build keeps them, another build (lib.sh's another_jixia) does not.
if [ -n "$(build_id "$JIXIA")" ]; then
	cp "$JIXIA" "$T/jixia2" && printf x >>"$T/jixia2"
	edit 2 faq/bloat.md
	"$T/jixia2" build -v -j 2 "$S" -o "$T/out" 2>"$T/err"
	check "the same jixia copied: one page parsed" is 1
fi
check "another jixia" another_jixia "$JIXIA" "$T/jixia2"
edit 2 faq/bloat.md
"$T/jixia2" build -v -j 2 "$S" -o "$T/out" 2>"$T/err"
check "another jixia: every page parsed" is $((N - 1))
b
check "  and this one's again" is $((N - 1))

# The history walk: kept for the next run from the same commit; a commit
# walks again. Another author, a rename and a translation's original edited.
kept() { grep -q 'history .*(the walk kept from the last run)' "$T/err"; }
site=$S
git -C "$S" mv content/faq/bloat.md content/faq/vacuum-bloat.md
printf '\nMore about vacuum.\n' >>"$S/content/talks/2024-vacuum.md"
as 'Li Na' 'li@example.org' 2024-02-01T00:00:00Z 'rename, edit an original'
check "a commit: walked again" b
check "  not from the cache" sh -c '! grep -q "walk kept" "$0"' "$T/err"
check "  output equals a cold build" cold
edit 2 faq/vacuum-bloat.md
check "an edit, no commit" b
check "  the walk kept from the last run" kept
check "  output equals a cold build" cold
hfile() { ls "$T/cache/jixia/"history-*.cache; }
head -c $(($(stat -c %s "$(hfile)") / 2)) "$(hfile)" >"$T/hhalf" && cat "$T/hhalf" >"$(hfile)"
edit 3 faq/vacuum-bloat.md
check "the walk's file cut in half: walked again" b
check "  not from the cache" sh -c '! grep -q "walk kept" "$0"' "$T/err"
check "  output equals a cold build" cold
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-1] ^= 1; open(sys.argv[1], "wb").write(b)' "$(hfile)"
edit 4 faq/vacuum-bloat.md
check "the walk's file damaged: walked again" b
check "  not from the cache" sh -c '! grep -q "walk kept" "$0"' "$T/err"
check "  output equals a cold build" cold
head -c 100000 /dev/urandom >"$(hfile)"
edit 5 faq/vacuum-bloat.md
check "the walk's file garbage: walked again" b
check "  output equals a cold build" cold
k=6
for mode in walk-touch walk-pair walk-path; do
	edit $k faq/vacuum-bloat.md
	k=$((k + 1))
	python3 "$(dirname "$0")/diskcache.py" "$(hfile)" $mode
	check "a hostile walk ($mode, a valid checksum): walked again" b
	check "  not from the cache" sh -c '! grep -q "walk kept" "$0"' "$T/err"
	check "  output equals a cold build" cold
done
# The working tree's ids: their file cut, garbage or hostile hashes the files again.
ifile() { ls "$T/cache/jixia/"ids-*.cache; }
nmd=$(find "$S/content" -name '*.md' | wc -l)
edit 9 faq/vacuum-bloat.md
b
edit 10 faq/vacuum-bloat.md
check "the ids kept: an edit" b
check "  one file hashed for the history" test "$(hhashed)" = 1
isize=$(stat -c %s "$(ifile)" 2>/dev/null || echo 0)
head -c $((isize / 2)) "$(ifile)" >"$T/ihalf" && cat "$T/ihalf" >"$(ifile)"
edit 11 faq/vacuum-bloat.md
check "the ids' file cut in half: a build" b
check "  every file hashed" test "$(hhashed)" = "$nmd"
check "  output equals a cold build" cold
head -c 100000 /dev/urandom >"$(ifile)"
edit 12 faq/vacuum-bloat.md
check "the ids' file garbage: a build" b
check "  every file hashed" test "$(hhashed)" = "$nmd"
check "  output equals a cold build" cold
k=13
for mode in ids-path ids-flag; do
	edit $k faq/vacuum-bloat.md
	k=$((k + 1))
	b
	edit $k faq/vacuum-bloat.md
	k=$((k + 1))
	python3 "$(dirname "$0")/diskcache.py" "$(ifile)" $mode
	check "hostile ids ($mode, a valid checksum): a build" b
	check "  every file hashed" test "$(hhashed)" = "$nmd"
	check "  output equals a cold build" cold
done
git -C "$S" mv content/faq/vacuum-bloat.md content/faq/bloat.md
as 'Zhang Wei' 'zhang@example.org' 2024-02-02T00:00:00Z 'rename back'

# Damage: each time one more edit (the stamp would skip the build), then
# the build must succeed with a cold build's output.
edit 3 faq/bloat.md
# A byte of another page's entry (its front matter) changed: that page parsed again.
python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" damage content/talks/2023-partition.md
check "an entry damaged: a build" b
check "  the damaged entry parsed again, with the edited page" is 2
check "  output equals a cold build" cold

edit 4 faq/bloat.md
head -c $(($(stat -c %s "$(cachefile)") / 2)) "$(cachefile)" >"$T/half" && cat "$T/half" >"$(cachefile)"
check "the file cut in half: a build" b
check "  some pages parsed again" test "$(parsed)" -gt 1
check "  output equals a cold build" cold

edit 5 faq/bloat.md
head -c 10 "$T/half" >"$(cachefile)"
check "the file cut to 10 bytes: a build" b
check "  every page parsed" is $((N - 1))
check "  output equals a cold build" cold

edit 6 faq/bloat.md
head -c 200000 /dev/urandom >"$(cachefile)"
check "garbage: a build" b
check "  every page parsed" is $((N - 1))
check "  output equals a cold build" cold

# The cache's header, version or context changed by hand: nothing of it read.
edit 7 faq/bloat.md
printf '\377' | dd of="$(cachefile)" bs=1 seek=16 conv=notrunc 2>/dev/null
check "another version: a build" b
check "  every page parsed" is $((N - 1))
edit 8 faq/bloat.md
printf '\377\377\377\377' | dd of="$(cachefile)" bs=1 seek=56 conv=notrunc 2>/dev/null
check "a count of entries past the file: a build" b
check "  every page parsed" is $((N - 1))
check "  output equals a cold build" cold

# Hostile entries with valid checksums: the reader's bounds alone stop them.
k=12
for mode in html anchors front front-key deep short; do
	edit $k faq/bloat.md
	k=$((k + 1))
	python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" $mode content/talks/2023-partition.md
	check "a hostile entry ($mode): a build" b
	check "  its page parsed again, with the edited page" is 2
	check "  output equals a cold build" cold
done

# unkept_rebuild NAME N NAME2: a one-page edit built with every body shown
# and every page indexed (no render nor index state), N pages parsed by the
# parse stage and none parsed again when read back
unkept_rebuild() {
	edit $k faq/bloat.md
	k=$((k + 1))
	rm -f "$T/cache/jixia/"search-*.cache "$T/cache/jixia/"render-*.cache
	check "$1" b
	check "$3" is "$2"
	check "    none parsed again" test "$(keptline | cut -d' ' -f3)" = 0
}

# A rebuild reads each reused entry's checked part alone (its front matter,
# summary, links...): its body and terms, the bulk of its bytes, stay in the
# file until the render shows the body or the index walks the terms, which
# a one-page edit's rebuild does for none of the pages it did not parse
# (the render and index states hold). The -v line "kept" counts what was
# read back; a body or terms damaged, or hostile, are found then and the
# page parsed again from its file, and the entry forgotten: the next
# rebuild parses the page, the one after none.
entread() { sed -n 's/.*, \([0-9][0-9]*\) bytes of entries read,.*/\1/p' "$T/err"; }
keptline() { sed -n 's/^jixia: kept *\([0-9][0-9]*\) bodies and \([0-9][0-9]*\) pages.* \([0-9][0-9]*\) pages parsed again.*/\1 \2 \3/p' "$T/err"; }
# a page with a body of 8 KB or more (a short one stays with the checked part)
python3 -c 'import sys; open(sys.argv[1], "a").write("".join("\nLong paragraph %d of the partition talk, to make its body long.\n" % i for i in range(160)))' "$S/content/talks/2023-partition.md"
b
edit $k faq/bloat.md
k=$((k + 1))
check "a one-page rebuild" b
check "  that page alone parsed" is 1
check "  the long body not read: 8 KB less than the cache file read" sh -c '[ -n "$0" ] && [ "$0" -gt 0 ] && [ $(($0 + 8192)) -lt "$1" ]' "$(entread)" "$(size)"
check "  no body nor terms read back" test "$(keptline)" = "0 0 0"
rm -f "$T/cache/jixia/"search-*.cache "$T/cache/jixia/"render-*.cache
edit $k faq/bloat.md
k=$((k + 1))
check "the render and index states gone: a rebuild" b
check "  that page alone parsed" is 1
# again_over N: more than N pages parsed, by the parse stage or again for their bodies or terms
again_over() { set -- "$1" $(keptline) && [ $(($4 + $(parsed))) -gt "$1" ]; }
# kept BODIES AGAIN: BODIES bodies and some terms read back, and AGAIN pages parsed again for them
kept() {
	set -- "$1" "$2" $(keptline)
	[ "$3" = "$1" ] && [ "$4" -gt 0 ] && [ "$5" = "$2" ] || { echo "kept: $(keptline)" >&2 && false; }
}
check "  the long body and the terms read back, no page parsed again" kept 1 0
check "  output equals a cold build" cold
for mode in body terms-damage tokens term lens blank; do
	edit $k talks/2023-partition.md # its entry written again, not damaged
	b
	edit $k faq/bloat.md
	k=$((k + 1))
	python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" $mode content/talks/2023-partition.md
	rm -f "$T/cache/jixia/"search-*.cache "$T/cache/jixia/"render-*.cache
	check "an entry's bulk $mode: a build (every body shown, every page indexed)" b
	check "  its page not parsed by the parse stage" is 1
	if [ $mode = body ] || [ $mode = blank ]; then
		check "  but once its body read back" kept 0 1
	else
		check "  but once its terms read back (its body is)" kept 1 1
	fi
	check "  output equals a cold build" cold
	# the entry that did not hold forgotten: the next rebuild parses the page, and its
	# entry stands for the one after (one parse for the damage, not one every rebuild)
	unkept_rebuild "  the next rebuild (every body shown, every page indexed)" 2 \
		"    that page parsed by the parse stage, its entry not taken, with the edited page"
	unkept_rebuild "  and the one after" 1 "    the edited page alone parsed"
	check "    output equals a cold build" cold
done
# A long body in the checked part, where a cold build puts a short or blank
# one (the model tells a blank body by where it is), hostile with a valid
# checksum: not taken, its page parsed by the parse stage.
edit $k talks/2023-partition.md
b
edit $k faq/bloat.md
k=$((k + 1))
python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" inline content/talks/2023-partition.md
check "a hostile entry (inline, a long body in the checked part): a build" b
check "  its page parsed again, with the edited page" is 2
check "  output equals a cold build" cold

# hold VAR: a build started in the background, held where the variable VAR
# names (build.c's S_test_hold) until $T/hold exists; $held its pid, the
# output as it was in out.before, err removed first (a grep for a stage's
# line must not find the last build's). release: the build let go, rc its
# exit status.
hold() {
	rm -f "$T/hold" "$T/err"
	rm -rf "$T/out.before" && cp -a "$T/out" "$T/out.before"
	env "$1=$T/hold" "$JIXIA" build -v -j 2 "$S" -o "$T/out" 2>"$T/err" &
	held=$!
}
release() {
	touch "$T/hold"
	rc=0 && wait $held || rc=$?
}

# A page changed while the site is built, after the parse stage took its
# entry and before the index reads back its (damaged) terms: parsing it
# again finds the file is not the entry's, an error, and nothing is
# swapped in or saved (JIXIA_TEST_INDEX_HOLD, build.c: the build waits
# before its index stage until the file exists).
edit $k talks/2023-partition.md
b
edit $k faq/bloat.md
k=$((k + 1))
python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" terms-damage content/talks/2023-partition.md
rm -f "$T/cache/jixia/"search-*.cache
hold JIXIA_TEST_INDEX_HOLD
until_ok grep -q "^jixia: media" "$T/err"
edit $k talks/2023-partition.md
release
check "a page changed before the index reads its terms back: the build fails" test "$rc" = 1
check "  saying so" grep -q "file changed while the site was built" "$T/err"
check "  the output as it was" diff -r "$T/out.before" "$T/out"
check "  no index state saved" sh -c '! ls "$0"/jixia/search-*.cache 2>/dev/null' "$T/cache"
check "the next build" b
check "  output equals a cold build" cold

# The parse cache's entries are read through a mapping of its file, the
# reused pages' strings views of it (diskcache.c's S_blocks_map): the file
# cut short by another program while a build has it mapped kills no build
# with SIGBUS (strings read past the cut are zeros): it fails saying so,
# the output as it was, and the next build parses every page (the file is
# empty) into a cold build's output.
edit $k faq/bloat.md
k=$((k + 1))
b
edit $k faq/bloat.md
k=$((k + 1))
hold JIXIA_TEST_INDEX_HOLD
until_ok grep -q "^jixia: media" "$T/err"
check "the parse cache mapped while the site is built" grep -q '/parse-.*\.cache' "/proc/$held/maps"
: >"$(cachefile)"
release
check "the parse cache cut short under the build's mapping: the build fails (no SIGBUS)" test "$rc" = 1
check "  saying so" grep -q "the parse cache changed while the site was built" "$T/err"
check "  the output as it was" diff -r "$T/out.before" "$T/out"
check "the next build" b
check "  every page parsed" is $((N - 1))
check "  output equals a cold build" cold

# prime: an edit built, then the next edit left for the check's build (k
# counts the edits)
prime() {
	edit $k faq/bloat.md
	k=$((k + 1))
	b
	edit $k faq/bloat.md
	k=$((k + 1))
}
# spoil MODE FILE TARGET: the cache file cut in half, its last byte
# flipped, garbage, a link to TARGET (which holds "keep"), or made hostile
# by diskcache.py's MODE
spoil() {
	case $1 in
	cut) head -c $(($(stat -c %s "$2") / 2)) "$2" >"$T/spoil-half" && cat "$T/spoil-half" >"$2" ;;
	flip) python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-1] ^= 1; open(sys.argv[1], "wb").write(b)' "$2" ;;
	garbage) head -c 100000 /dev/urandom >"$2" ;;
	link) rm "$2" && printf 'keep\n' >"$3" && ln -s "$3" "$2" ;;
	*) python3 "$(dirname "$0")/diskcache.py" "$2" $1 ;;
	esac
}
# The dictionary hostile with a valid checksum: the entries that need its
# terms parsed again when the terms are walked (the index state gone).
for mode in dict dict-first; do
	prime
	python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" $mode
	rm -f "$T/cache/jixia/"search-*.cache
	check "a hostile dictionary ($mode): a build" b
	check "  its pages parsed again, by the parse stage or for their terms" again_over $((N - 2))
	check "  output equals a cold build" cold
	# the file written again (a dictionary cut short): no entry copied whose terms it lacks
	edit $k faq/bloat.md
	k=$((k + 1))
	rm -f "$T/cache/jixia/"search-*.cache
	check "  the next rebuild" b
	check "  no page parsed again for its terms: the entries all hold" test "$(keptline | cut -d' ' -f3)" = 0
	check "  output equals a cold build" cold
done

# The file's list (FILE.list beside it): a rebuild lists the entries with
# one read of it, not one read an entry. A list of another file (the one
# before an append), missing, garbage, or hostile with a valid checksum
# (a place past the file, two places swapped: each holds another path's
# entry, a count past its bytes, two entries' places over one) is not taken on trust: the file is
# listed record by record, an entry under another path is parsed again.
listfile() { echo "${1%.cache}.list"; }
listed() { sed -n 's/.*, \([0-9][0-9]*\) entries listed in one read,.*/\1/p' "$T/err"; }
edit $k faq/bloat.md
k=$((k + 1))
b
edit $k faq/bloat.md
k=$((k + 1))
check "a rebuild" b
check "  the entries listed in one read" test "$(listed)" = $((N - 1))
check "  that page alone parsed" is 1
# The entries' checked records lie together, their bulks apart (diskcache.c): a
# rebuild reads them with one read a block, not one read an entry; a file
# written whole holds them in one block, an append adds one of its own (or
# extends it, when its bulks are short).
reads() { sed -n 's/.* bytes of entries read, \([0-9][0-9]*\) reads of them,.*/\1/p' "$T/err"; }
rm "$(cachefile)"
edit $k faq/bloat.md
k=$((k + 1))
b
edit $k faq/bloat.md
k=$((k + 1))
check "a rebuild of a file written whole" b
check "  its entries read with one read" test "$(reads)" = 1
edit $k faq/bloat.md
k=$((k + 1))
check "the rebuild after it (an entry appended)" b
check "  its entries read with one or two reads" sh -c '[ "$0" = 1 ] || [ "$0" = 2 ]' "$(reads)"
check "  that page alone parsed" is 1
check "  output equals a cold build" cold
# An entry's bulk over another's checked record, hostile with a valid checksum:
# the list gives another place for it (the page parsed again); listed record
# by record, two places over one byte make none of the file's entries taken.
for how in list records; do
	edit $k faq/bloat.md
	k=$((k + 1))
	python3 "$(dirname "$0")/diskcache.py" "$(cachefile)" bulk-over content/talks/2023-partition.md
	[ $how = records ] && rm "$(listfile "$(cachefile)")"
	check "an entry's bulk over a record ($how): a build" b
	if [ $how = list ]; then
		check "  its page parsed again, with the edited page" is 2
	else
		check "  every page parsed" is $((N - 1))
	fi
	check "  output equals a cold build" cold
done
edit $k faq/bloat.md
k=$((k + 1))
b
edit $k faq/bloat.md
k=$((k + 1))
b
cp "$(listfile "$(cachefile)")" "$T/old.list"
edit $k faq/bloat.md
k=$((k + 1))
b
cp "$T/old.list" "$(listfile "$(cachefile)")"
edit $k faq/bloat.md
k=$((k + 1))
check "the list of the file before an append: a build" b
check "  not read" test "$(listed)" = 0
check "  that page alone parsed" is 1
check "  output equals a cold build" cold
check "  the list written again" sh -c '! cmp -s "$0" "$1"' "$T/old.list" "$(listfile "$(cachefile)")"
for mode in missing garbage list-off list-count list-path list-overlap list-bulk; do
	edit $k faq/bloat.md
	k=$((k + 1))
	case $mode in
	missing) rm "$(listfile "$(cachefile)")" ;;
	garbage) head -c 5000 /dev/urandom >"$(listfile "$(cachefile)")" ;;
	*) python3 "$(dirname "$0")/diskcache.py" "$(listfile "$(cachefile)")" $mode ;;
	esac
	check "the list $mode: a build" b
	if [ $mode = list-path ]; then
		check "  the two pages it swapped parsed again, with the edited page" is 3
	else
		check "  not read" test "$(listed)" = 0
		check "  that page alone parsed" is 1
	fi
	check "  output equals a cold build" cold
done

# A link or a folder where the file was: never followed, never a crash.
f=$(cachefile)
rm "$f" && printf 'keep\n' >"$T/target" && ln -s "$T/target" "$f"
edit 9 faq/bloat.md
check "a symbolic link for the cache: a build" b
check "  every page parsed" is $((N - 1))
check "  the link's target untouched" test "$(cat "$T/target")" = keep
rm -f "$f" && mkdir "$f"
edit 10 faq/bloat.md
check "a folder for the cache: a build" b
check "  output equals a cold build" cold
rmdir "$f"

# A page whose parse warned (a Hugo shortcode left in it) is parsed again and warns again.
printf -- '---\ntitle: Warned\n---\n\nBody {{< youtube x >}}.\n' >"$S/content/faq/warned.md"
b
edit 11 faq/bloat.md
b
check "a page that warned: parsed again" is 2
check "  and warns again" grep -q shortcode "$T/err"

# The render state (rerender.h) kept for the next rebuild beside the parse
# cache: after a one-page edit only the outputs that show that page
# render, the others are the current output's files; always a cold
# build's bytes. Anything the state cannot vouch for renders everything:
# a new page, a layout, another jixia, another build swapped in since, a
# damaged, cut, garbage, linked or hostile file.
rendered() { sed -n 's/.*render .* (\([0-9][0-9]*\) rendered,.*/\1/p' "$T/err"; }
outputs() { sed -n 's/.*render  *[0-9.]* ms  *\([0-9][0-9]*\) pages.*/\1/p' "$T/err"; }
few() {
	r=$(rendered)
	[ -n "$r" ] && [ "$r" -gt 0 ] && [ "$r" -lt $(($(outputs) / 4)) ] ||
		{ echo "rendered '$r' of $(outputs)" >&2 && false; }
}
all() { [ "$(rendered)" = "$(outputs)" ] || { echo "rendered '$(rendered)' of $(outputs)" >&2 && false; }; }
# The feeds stage's outputs (feeds.c) kept as the output's files (-v's "(N unchanged)").
feeds() { sed -n 's/.*feeds  *[0-9.]* ms  \([0-9][0-9]*\) feeds.*/\1/p' "$T/err"; }
fkept() { sed -n 's/.*feeds .* (\([0-9][0-9]*\) unchanged[,)].*/\1/p' "$T/err"; }
sfew() {
	k=$(fkept)
	[ -n "$k" ] && [ "$k" -gt $(($(feeds) / 2)) ] && [ "$k" -lt "$(feeds)" ] ||
		{ echo "feeds kept '$k' of $(feeds)" >&2 && false; }
}
snone() { [ "$(fkept)" = 0 ] || { echo "feeds kept '$(fkept)' of $(feeds)" >&2 && false; }; }
rfile() { ls "$T/cache/jixia/"render-*.cache; }
edit 20 faq/bloat.md
b
edit 21 faq/bloat.md
check "render state: a body edit" b
check "  renders a few outputs" few
digested() { sed -n 's/.*render .*, \([0-9][0-9]*\) page files digested,.*/\1/p' "$T/err"; }
valued() { sed -n "s/.*render .*, \([0-9][0-9]*\) pages' values digested,.*/\1/p" "$T/err"; }
# (and the page edited right before the last build: racy then)
check "  digests that page's file, the others known by their identity" test "$(digested)" -ge 1 -a "$(digested)" -le 2
check "  and that page's identity and values, the others' kept with their file" \
	test -n "$(valued)" -a "$(valued)" -ge 1 -a "$(valued)" -le 2
check "  the state file kept" test -f "$(rfile)"
# read and decoded on a thread of its own while the model is made (build.c's struct ahead)
check "  the state read beside the model" grep -q "render .*, the state read beside the model$" "$T/err"
check "  output equals a cold build" cold
check "  the edit is there" contains "$T/out/faq/bloat/index.html" "Edit 21."
edit 22 faq/bloat.md
check "the same at -j 1" sh -c '"$0" build -v -j 1 "$1" -o "$2" 2>"$3"' "$JIXIA" "$S" "$T/out" "$T/err"
check "  renders a few outputs" few
check "  the state read in line" grep -q "render .*, the state read here$" "$T/err"
check "  output equals a cold build" cold
check "  keeps the feeds, calendars and sitemaps whose pages held" sfew
# The state written over in place (diskcache.c's S_sealed_rewrite), but
# never through a second name of its file: that one is written beside.
ino=$(stat -c %i "$(rfile)")
edit 17 faq/bloat.md
check "the render state written again: a build" b
check "  over its file in place (the same inode)" test "$(stat -c %i "$(rfile)")" = "$ino"
check "  renders a few outputs" few
ln "$(rfile)" "$T/rhard" && cp "$(rfile)" "$T/rcopy"
edit 18 faq/bloat.md
check "a second name for the render state's file: a build" b
check "  written beside it: the other name's bytes untouched" cmp -s "$T/rhard" "$T/rcopy"
check "  the state's file its own again" test "$(stat -c %h "$(rfile)")" = 1
check "  output equals a cold build" cold
rm -f "$T/rhard" "$T/rcopy"
rm -rf "$T/.out.spare"
edit 19 faq/bloat.md
check "no spare: the kept files linked into a new folder" b
check "  renders a few outputs" few
check "  output equals a cold build" cold
sed -i 's/^title: 什么是膨胀？$/title: 什么是表膨胀？/' "$S/content/faq/bloat.md"
check "a title edit" b
check "  renders a few outputs" few
check "  output equals a cold build" cold
check "  the title is there" contains "$T/out/faq/bloat/index.html" "什么是表膨胀？"
check "  keeps the feeds that do not show it" sfew
sed -i 's/^title: VACUUM 深入$/title: VACUUM 详解/' "$S/content/talks/2024-vacuum.md"
check "a talk's title edited" b
check "  renders a few outputs" few
check "  keeps the feeds that do not show it" sfew
check "  makes those that do" contains "$T/out/tags/vacuum/atom.xml" "VACUUM 详解"
check "  output equals a cold build" cold
sed -i 's/^tags: \[replication, performance\]$/tags: [replication, performance, partitioned]/' \
	"$S/content/talks/2025-replication.md"
check "a tag added" b
check "  renders a few outputs" few
check "  keeps the feeds that do not show it" sfew
check "  the new tag's feed made" test -f "$T/out/tags/partitioned/atom.xml"
check "  output equals a cold build" cold
f=$S/content/talks/2023-partition.md
m=$(stat -c %y "$f")
python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); open(sys.argv[1], "r+b").write(b.replace("分区！".encode(), "分区。".encode()))' "$f"
touch -d "$m" "$f"
check "a page written again in place, same length and modification time" b
check "  renders a few outputs" few
check "  output equals a cold build" cold
check "  the text changed back" contains "$T/out/talks/2023-partition/index.html" "分区。"
check "a no-op rebuild (a warning: no stamp)" b
check "  renders nothing" test "$(rendered)" = 0
check "  output equals a cold build" cold
printf -- '---\ntitle: New\n---\n\nNew page.\n' >"$S/content/faq/new.md"
check "a page added" b
check "  renders everything" all
check "  digests every page's identity and values (the pages moved)" test "$(valued)" -ge $((N / 2))
check "  keeps no feed" snone
check "  output equals a cold build" cold
edit 28 faq/bloat.md
b
rm "$S/content/faq/new.md"
edit 29 faq/bloat.md
check "a page removed" b
check "  renders everything" all
check "  output equals a cold build" cold
edit 30 faq/bloat.md
check "then a one-page edit" b
check "  renders a few outputs" few
check "  keeps the feeds whose pages held" sfew
check "  output equals a cold build" cold
edit 31 faq/bloat.md
python3 "$(dirname "$0")/diskcache.py" "$(rfile)" render-feed
check "a feed's digest in the render state another's: a build" b
check "  that feed made, the others kept" sfew
check "  output equals a cold build" cold
edit 32 faq/bloat.md
export SOURCE_DATE_EPOCH=1795392000
check "another build time (the calendars' stamp): a build" b
check "  keeps no feed" snone
check "  output equals a cold build at that time" cold
export SOURCE_DATE_EPOCH=1795305600
edit 22 faq/bloat.md
b
printf '\n' >>"$S/layouts/doc.html"
check "a layout edited" b
check "  renders everything" all
check "  digests every page's identity and values (another context)" test "$(valued)" -ge $((N / 2))
check "  output equals a cold build" cold
edit 23 faq/bloat.md
"$T/jixia2" build -v -j 2 "$S" -o "$T/out" 2>"$T/err"
check "another jixia: renders everything" all
b
check "  and this one again" all
edit 24 faq/bloat.md
check "  then a few" b
check "  renders a few outputs" few
# Two builds with another cache swap the output twice (the same folder in
# place again): the state describes the folder before them.
edit 25 faq/bloat.md
XDG_CACHE_HOME="$T/other-cache" "$JIXIA" build -j 2 "$S" -o "$T/out" 2>/dev/null
edit 26 faq/bloat.md
XDG_CACHE_HOME="$T/other-cache" "$JIXIA" build -j 2 "$S" -o "$T/out" 2>/dev/null
edit 27 faq/bloat.md
check "builds since that kept no state: a build" b
check "  renders everything" all
check "  output equals a cold build" cold
k=30
for mode in cut garbage link render-page render-dep render-parts render-count render-feed-flag render-short \
	render-long; do
	prime
	spoil $mode "$(rfile)" "$T/rtarget"
	check "the render state's file $mode: a build" b
	check "  renders everything" all
	check "  output equals a cold build" cold
done
check "  the link's target untouched" test "$(cat "$T/rtarget")" = keep

# The folders' record (write.c): once two rebuilds recorded their folders,
# the removal walk reads only those that changed; strays left in the
# spare by hand (their folder's modification time set back), or a record
# that is garbage or a link, still give a cold build's output.
walked() { sed -n 's/.*write .* folders made, \([0-9][0-9]*\) read$/\1/p' "$T/err"; }
dirs() { find "$T/out" -type d | wc -l; }
# recorded K: three builds (edits K, K+1, K+2), the last two recording
# every folder: a folder changed in the last 3 s is not recorded
# (S_RACY_NS), and the builds before the second are older than that when
# it and the third record theirs
recorded() {
	for k in $1 $(($1 + 1)) $(($1 + 2)); do
		edit $k faq/bloat.md
		[ $k != $(($1 + 1)) ] || sleep 3.2
		b
	done
}
recorded 60
fino=$(stat -c %i "$(ls -t "$T/cache/jixia/"folders-*.cache | head -1)")
edit 63 faq/bloat.md
check "the spare's folders: a one-page edit" b
check "  reads a few of them" test -n "$(walked)" -a "$(walked)" -lt $(($(dirs) / 4))
check "  output equals a cold build" cold
check "  the record written over its file in place (the same inode)" \
	test "$(stat -c %i "$(ls -t "$T/cache/jixia/"folders-*.cache | head -1)")" = "$fino"
sp=$T/.out.spare
m=$(stat -c %y "$sp/talks")
printf s >"$sp/talks/stray.html" && mkdir "$sp/tags/stray" && printf s >"$sp/tags/stray/index.html"
touch -d "$m" "$sp/talks" "$sp/tags"
edit 64 faq/bloat.md
check "strays in the spare's folders by hand: a build" b
check "  gone" test ! -e "$T/out/talks/stray.html" -a ! -e "$T/out/tags/stray"
check "  output equals a cold build" cold
ffile() { ls -t "$T/cache/jixia/"folders-*.cache | head -1; } # the last build's
for mode in garbage link; do
	for k in 1 2; do
		edit 6$k faq/bloat.md
		b
	done
	printf s >"$sp/talks/stray.html" && touch -d "$m" "$sp/talks"
	f=$(ffile)
	case $mode in
	garbage) head -c 5000 /dev/urandom >"$f" ;;
	link) rm "$f" && printf 'keep\n' >"$T/ftarget" && ln -s "$T/ftarget" "$f" ;;
	esac
	edit 65 faq/bloat.md
	check "the folders' record $mode: a build" b
	check "  reads every folder" test "$(walked)" -ge $(($(dirs) - 1))
	check "  the stray gone" test ! -e "$T/out/talks/stray.html"
	check "  output equals a cold build" cold
done
check "  the link's target untouched" test "$(cat "$T/ftarget")" = keep

# Kept files without a look at them (write.c's output_keep_many): once two
# rebuilds recorded their folders, a one-page edit keeps the other
# outputs' files by their folder's record alone (-v: "N of them vouched
# for by their folder"), each folder looked at once, and so the feeds'
# (feeds.c's S_keep_many). A kept output or feed removed or replaced by hand, in the output folder or in the spare (its folder's
# modification time set back), is a cold build's still.
vouched() { sed -n 's/.*render .* unchanged, \([0-9][0-9]*\) of them vouched for by their folder).*/\1/p' "$T/err"; }
unchanged() { sed -n 's/.*render .* rendered, \([0-9][0-9]*\) unchanged.*/\1/p' "$T/err"; }
fvouched() { sed -n 's/.*feeds .* unchanged, \([0-9][0-9]*\) of them vouched for by their folder).*/\1/p' "$T/err"; }
looked() { sed -n 's/.*render .*, \([0-9][0-9]*\) folders looked at.*/\1/p' "$T/err"; }
recorded 70
edit 73 faq/bloat.md
check "kept files: a one-page edit" b
check "  most kept by their folder's record alone" test -n "$(vouched)" -a "$(vouched)" -gt $(($(unchanged) * 3 / 4))
check "  each folder looked at once at most" test -n "$(looked)" -a "$(looked)" -lt "$(dirs)"
check "  the feeds too (-v's feeds line)" test -n "$(fvouched)" -a "$(fvouched)" -gt $(($(fkept) * 3 / 4))
check "  output equals a cold build" cold
python3 "$(dirname "$0")/diskcache.py" "$(rfile)" render-size
edit 79 faq/bloat.md
check "an output's size in the render state past the output's cap (a valid checksum): a build" b
check "  the state stands: a few outputs rendered" few
check "  output equals a cold build" cold
check "  the file looked at: its own size recorded, not the hostile one" \
	sh -c 'test "$(python3 "$0" "$1" render-sizes)" -lt 1000000000' "$(dirname "$0")/diskcache.py" "$(rfile)"
o=$T/out/talks
rm "$o/2024-vacuum/index.html" "$T/out/tags/vacuum/atom.xml"
sed -i 's/<title>/<title>BY HAND /' "$o/2023-partition/index.html"
sed -i 's/<feed /<feed by-hand="1" /' "$T/out/tags/partitioned/atom.xml"
edit 74 faq/bloat.md
check "kept outputs removed and replaced by hand in the output: a build" b
check "  output equals a cold build" cold
check "  the replaced one repaired" sh -c '! grep -q "BY HAND" "$0"' "$o/2023-partition/index.html"
check "  and the replaced feed" sh -c '! grep -q "by-hand" "$0"' "$T/out/tags/partitioned/atom.xml"
edit 75 faq/bloat.md
check "  and the build after" b
check "  output equals a cold build" cold
for k in 76 77; do
	edit $k faq/bloat.md
	[ $k != 77 ] || sleep 3.2
	b
done
m=$(stat -c %y "$sp/talks/2024-vacuum")
mt=$(stat -c %y "$sp/tags/vacuum")
rm "$sp/talks/2024-vacuum/index.html" "$sp/tags/vacuum/atom.xml"
sed -i 's/<title>/<title>BY HAND /' "$sp/talks/2023-partition/index.html"
sed -i 's/<feed /<feed by-hand="1" /' "$sp/tags/partitioned/atom.xml"
touch -d "$m" "$sp/talks/2024-vacuum" "$sp/talks/2023-partition"
touch -d "$mt" "$sp/tags/vacuum" "$sp/tags/partitioned"
edit 78 faq/bloat.md
check "kept outputs removed and replaced by hand in the spare: a build" b
check "  output equals a cold build" cold
check "  the replaced one is not there" sh -c '! grep -q "BY HAND" "$0"' "$o/2023-partition/index.html"
check "  nor the replaced feed" sh -c '! grep -q "by-hand" "$0"' "$T/out/tags/partitioned/atom.xml"

# The folders' looks made ahead, beside the model (write.h's
# output_prelook): the spare locked, then each folder of the files the
# render state names looked at there, until the output begins (-v: "N of
# them beside the model"). JIXIA_TEST_LOOKS_HOLD=FILE holds a build
# where its output begins, then waits for every look. Another build in
# the meantime finds the spare held and makes a fresh folder; a spare put
# in its place in the meantime (a copy, with a stray) is not the folder
# the looks were made in: its folders are looked at in line, the stray
# goes. Each output a cold build's.
prelooked() { sed -n 's/.*render .* folders looked at (\([0-9][0-9]*\) of them beside the model).*/\1/p' "$T/err"; }
# held FILE: a build held at FILE in the background (-v into err-held) once it holds the spare
held() {
	(JIXIA_TEST_LOOKS_HOLD=$1 "$JIXIA" build -v -j 2 "$S" -o "$T/out" 2>"$T/err-held") &
	hpid=$!
	i=0
	while flock -n "$sp" true && [ $i -lt 400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
recorded 90
edit 93 faq/bloat.md
check "folders looked at ahead: a one-page edit" sh -c 'JIXIA_TEST_LOOKS_HOLD="$0" "$1" build -v -j 2 "$2" -o "$3" 2>"$4"' \
	"$T" "$JIXIA" "$S" "$T/out" "$T/err"
# (but the folders of the outputs it renders, and of the index's files: looked at as they are written)
check "  nearly every folder looked at beside the model" test -n "$(prelooked)" -a "$(prelooked)" -gt $(($(looked) * 9 / 10))
check "  most kept by their folder's record alone" test -n "$(vouched)" -a "$(vouched)" -gt $(($(unchanged) * 3 / 4))
check "  output equals a cold build" cold
edit 94 faq/bloat.md
rm -f "$T/go"
held "$T/go"
check "a build while another holds the spare it looked in" b
check "  makes a fresh folder" test "$(looked)" = 0
check "  output equals a cold build" cold
touch "$T/go"
check "  the held build ends" wait $hpid
check "  having looked at its spare's folders beside the model" sh -c '[ "$(sed -n "s/.*render .* folders looked at (\([0-9]*\) of them beside.*/\1/p" "$0")" -gt 0 ]' "$T/err-held"
check "  output equals a cold build" cold
for k in 95 96; do
	edit $k faq/bloat.md
	[ $k != 96 ] || sleep 3.2
	b
done
edit 97 faq/bloat.md
rm -f "$T/go"
held "$T/go"
mv "$sp" "$T/spare-looked" && cp -a "$T/spare-looked" "$sp" && printf s >"$sp/talks/stray.html"
touch "$T/go"
check "the spare replaced while a build held the one it looked in: the build" wait $hpid
cp "$T/err-held" "$T/err"
check "  looked at none of its folders ahead" test "$(prelooked)" = 0
check "  the stray gone" test ! -e "$T/out/talks/stray.html"
check "  output equals a cold build" cold
rm -rf "$T/spare-looked"

# The first rebuilds after a cold build (write.c's output_record_current
# and S_link_same): the rebuild with no spare links each file it renders
# whose bytes are the output's file there, and reads that output's
# folders (its next build's spare) for the folders' record; the build
# after it reads its own output's (the folder the first one made, its
# next build's spare). So the builds after the first keep their files by
# their folder's record and read few folders, as later ones do; a stray
# left by hand in the output before the first rebuild still goes.
written() { sed -n 's/.*write .*: \([0-9][0-9]*\) files written,.*/\1/p' "$T/err"; }
files() { sed -n 's/.*write .*, \([0-9][0-9]*\) unchanged,.*/\1/p' "$T/err"; }
rm -rf "$T/out" "$sp" "$T/cache"
check "a cold build (no spare, no caches)" b
printf s >"$T/out/talks/stray.html"
sleep 3.2
edit 80 faq/bloat.md
check "  the rebuild after it, with no spare" b
check "  links the files whose bytes are the output's" test -n "$(written)" -a "$(written)" -lt "$(files)"
check "  reads the output's folders for the next build" grep -q "folders of the output before read for the next build" "$T/err"
check "  output equals a cold build" cold
for k in 81 82; do
	sleep 3.2
	edit $k faq/bloat.md
	check "  the rebuild after that (edit $k)" b
	check "    most kept by their folder's record alone" test -n "$(vouched)" -a "$(vouched)" -gt $(($(unchanged) * 3 / 4))
	check "    the feeds too" test -n "$(fvouched)" -a "$(fvouched)" -gt $(($(fkept) * 3 / 4))
	check "    reads a few folders" test -n "$(walked)" -a "$(walked)" -lt $(($(dirs) / 4))
	check "    output equals a cold build" cold
done
check "  the stray gone" test ! -e "$T/out/talks/stray.html"

# The search index's zlib streams kept for the next rebuild (diskcache.c):
# an edit compresses only the streams whose bytes changed; the file
# damaged, cut, garbage, a link or hostile is ignored (every stream made
# again), always a cold build's bytes. A rebuild that keeps its index
# from its state (below) keeps its unchanged shards' files from the
# output and never reads or writes the file; one that makes the index
# again (no state) reads it.
kept_streams() { sed -n 's/.*index .*, \([0-9][0-9]*\) kept).*/\1/p' "$T/err"; }
made_streams() { sed -n 's/.*index .*(\([0-9][0-9]*\) streams compressed.*/\1/p' "$T/err"; }
zfile() { ls "$T/cache/jixia/"deflate-*.cache; }
edit 50 faq/bloat.md
b
edit 51 faq/bloat.md
zsum=$(cksum <"$(zfile)")
check "index streams: a body edit" b
check "  streams kept from the last rebuild" test "$(kept_streams)" -gt 0
check "  the file there" test -f "$(zfile)"
check "  not read nor written again (the index kept from its state)" test "$(cksum <"$(zfile)")" = "$zsum"
check "  output equals a cold build" cold
edit 52 faq/bloat.md
rm -f "$T/cache/jixia/"search-*.cache
check "the index state removed: a build" b
check "  the streams kept from the file" test "$(kept_streams)" -gt 0
check "  output equals a cold build" cold
k=53
for mode in flip cut garbage link deflate-len deflate-zero; do
	prime
	spoil $mode "$(zfile)" "$T/ztarget"
	rm -f "$T/cache/jixia/"search-*.cache # (the index made again: the file read)
	check "the streams' file $mode: a build" b
	check "  no stream kept" test "$(kept_streams)" = 0
	check "  output equals a cold build" cold
done
check "  the link's target untouched" test "$(cat "$T/ztarget")" = keep

# The search index's state kept for the next rebuild (search.h, diskcache.c):
# after an edit of any kind the index is the one kept, brought up to date
# from the pages that changed (-v's "N indexed again, state kept"), and
# the output a cold build's; the file cut, flipped, garbage, a link,
# hostile with a valid checksum, another jixia's or another output's is
# ignored: the index is made again ("state made", every page indexed).
indexed() { sed -n 's/.*index .* pages (\([0-9][0-9]*\) indexed again, state \([a-z]*\)[,)].*/\1 \2/p' "$T/err"; }
kept() { [ "$(indexed)" = "$1 kept" ] || { echo "indexed '$(indexed)', not '$1 kept'" >&2 && false; }; }
made() {
	n=$(sed -n 's/.*index *[0-9.]* ms *\([0-9][0-9]*\) pages.*/\1/p' "$T/err")
	[ "$(indexed)" = "$n made" ] || { echo "indexed '$(indexed)', not '$n made'" >&2 && false; }
}
sfile() { ls "$T/cache/jixia/"search-*.cache; }
rm -f "$T/cache/jixia/"search-*.cache # the other outputs' (the one state below is out's)
"$JIXIA" build -v -j 2 "$S" -o "$T/snew" 2>"$T/err"
check "index state: a build into a new output" test -z "$(indexed)"
check "  keeps no state for it" sh -c '! ls "$0"/jixia/search-*.cache 2>/dev/null' "$T/cache"
rm -rf "$T/snew"
edit 70 faq/bloat.md
b
edit 71 faq/bloat.md
check "index state: a body edit" b
check "  one page indexed again, the state kept" kept 1
check "  the file there" test -f "$(sfile)"
check "  output equals a cold build" cold
sed -i 's/^title: .*/title: 膨胀是什么？/' "$S/content/faq/bloat.md"
check "a title edit" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
check "  the title in the index" grep -rq "膨胀是什么？" "$T/out/search"
sed -i 's/^tags: \[vacuum\]/tags: [vacuum, bloat]/' "$S/content/faq/bloat.md"
check "a tag added" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
printf -- '---\ntitle: Indexed\n---\n\nA word nowhere else: zyzzyva.\n' >"$S/content/faq/indexed.md"
check "a page added" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
mv "$S/content/faq/indexed.md" "$S/content/faq/renamed.md"
check "a page renamed" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
rm "$S/content/faq/renamed.md"
check "a page deleted" b
check "  no page indexed again, the state kept" kept 0
check "  output equals a cold build" cold
sed -i 's|^base_url: .*|base_url: https://example.net/|' "$S/site.yaml"
check "site.yaml edited (every address)" b
check "  the state kept" sh -c 'sed -n "s/.*indexed again, state \([a-z]*\)[,)].*/\1/p" "$0" | grep -qx kept' "$T/err"
check "  output equals a cold build" cold
edit 72 faq/bloat.md
"$T/jixia2" build -v -j 2 "$S" -o "$T/out" 2>"$T/err"
check "another jixia: the index made again" made
check "  output equals a cold build" cold
edit 73 faq/bloat.md
check "  and this one's state not taken either" b
check "  the index made again" made
edit 74 faq/bloat.md
XDG_CACHE_HOME="$T/other-cache" "$JIXIA" build -j 2 "$S" -o "$T/out" 2>/dev/null
edit 75 faq/bloat.md
check "a state of another output (a build with another cache swapped in)" b
check "  the index made again" made
check "  output equals a cold build" cold
k=80
for mode in cut flip garbage link search-count search-page search-step search-twice search-short search-long; do
	prime
	f=$(sfile) || { f=$T/no-state && : >"$f"; } # (a jixia that keeps none: the checks fail)
	spoil $mode "$f" "$T/starget"
	check "the index state's file $mode: a build" b
	check "  the index made again" made
	check "  output equals a cold build" cold
done
check "  the link's target untouched" test "$(cat "$T/starget")" = keep
edit 98 faq/bloat.md
b
edit 99 faq/bloat.md
python3 "$(dirname "$0")/diskcache.py" "$(sfile)" search-reseal 2>/dev/null
check "the file sealed again by diskcache.py, unchanged (the control)" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
edit 100 faq/bloat.md
check "then a body edit" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
for mode in search-dir search-parts search-damage search-fwd search-fwd-past search-fwd-damage search-fwd-eager \
	search-order search-order-past search-order-short search-zsig-count search-fields; do
	prime
	python3 "$(dirname "$0")/diskcache.py" "$(sfile)" $mode
	check "the index state's file $mode: a build" b
	check "  the index made again" made
	check "  output equals a cold build" cold
done
prime
python3 "$(dirname "$0")/diskcache.py" "$(sfile)" search-zsig
check "the index state's shards named as files the output has not: a build" b
check "  one page indexed again, the state kept" kept 1
check "  no shard's file kept: each made again" test "$(kept_streams)" = 0
check "  output equals a cold build" cold
prime
b
edit $k faq/bloat.md
k=$((k + 1))
rm "$T/out/search/"t-*.bin
check "the output's term shards removed by hand: a build" b
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" cold
edit $k faq/bloat.md
k=$((k + 1))
check "  then a body edit" b
check "  shards' files kept from the output" test "$(kept_streams)" -gt 0
check "  output equals a cold build" cold

# The state is read through a mapping of its file (mapped.h), not copied:
# the file cut short by another program while a build has it mapped
# (JIXIA_TEST_STATE_HOLD, build.c: the build waits once the state is open,
# before its terms are read) kills no build with SIGBUS: it fails saying
# so, the output as it was, nothing saved into the file, and the next
# build makes the index again. The edit is a page added: the index checks
# the postings of its terms in the mapping (an edited page's old forward
# list would be read first, with pread, and found cut).
edit $k faq/bloat.md
k=$((k + 1))
b
printf -- '---\ntitle: Mapped\n---\n\nVacuum, bloat and replication again.\n' >"$S/content/faq/mapped.md"
f=$(sfile)
hold JIXIA_TEST_STATE_HOLD
until_ok grep -q '/search-.*\.cache' "/proc/$held/maps"
: >"$f"
release
check "the index state's file cut short under the build's mapping: the build fails (no SIGBUS)" test "$rc" = 1
check "  saying so" grep -q "search index's state changed while the site was built" "$T/err"
check "  the output as it was" diff -r "$T/out.before" "$T/out"
check "  nothing saved into the file" test ! -s "$f"
check "the next build" b
check "  the index made again" made
check "  output equals a cold build" cold
rm "$S/content/faq/mapped.md"
b

# The state is in parts, each sealed on its own (diskcache.c): on a site
# of 400 pages, an edit of one page's body reads every part but the
# forward lists of the blocks of pages it did not touch (lazy parts),
# reads the postings of the terms that page had or has alone (-v's "N
# terms checked"), and writes again only the few parts that changed (-v's state line: "N of M parts
# written", appended to the file), and the file is written whole once a
# quarter of it is dead (or when every posting moved: the averages
# drifted). Always a cold build's output.
B="$T/big"
cp -R "$S" "$B"
rm -rf "$B/.git"
python3 - "$B/content/faq" <<'PY'
import random, sys
rnd = random.Random(7)
words = ["w%04d%s" % (i, "abcdefgh"[i % 8]) for i in range(3000)]
for p in range(400):
    body = " ".join(rnd.choice(words) for _ in range(150))
    open("%s/gen-%03d.md" % (sys.argv[1], p), "w").write("---\ntitle: Page %d\n---\n\n%s\n" % (p, body))
PY
mkrepo "$B"
commit "$B" big 2024-01-02T00:00:00Z
bb() { "$JIXIA" build -v -j 2 "$B" -o "$T/bout" 2>"$T/err"; }
coldb() {
	rm -rf "$T/cold" "$T/cold-cache"
	XDG_CACHE_HOME="$T/cold-cache" "$JIXIA" build -j 2 "$B" -o "$T/cold" 2>/dev/null &&
		diff -r "$T/cold" "$T/bout" >&2
}
# the state line: "N of M parts written (B bytes), appended" or ", the file whole"
saved() { sed -n 's/.*the index state saved: \([0-9]*\) of \([0-9]*\) parts written ([0-9]*  *bytes), \(.*\)$/\1 \2 \3/p' "$T/err"; }
partsread() { sed -n 's/.*index .* state kept, \([0-9][0-9]*\) parts read.*/\1/p' "$T/err"; }
# the terms whose postings the rebuild took apart, and all terms
unpacked() { sed -n 's/.*index .* \([0-9][0-9]*\) terms unpacked), \([0-9][0-9]*\) terms,.*/\1 \2/p' "$T/err"; }
# the terms whose postings the rebuild read (checked), and all terms
checked() { sed -n 's/.*index .* \([0-9][0-9]*\) terms checked, .* \([0-9][0-9]*\) terms,.*/\1 \2/p' "$T/err"; }
few_checked() {
	set -- $(checked)
	[ -n "$1" ] && [ "$1" -gt 0 ] && [ $(($1 * 5)) -lt "$2" ] || { echo "checked: $(checked)" >&2 && false; }
}
# the parts read: all but the forward lists' parts of the blocks of pages not edited (one is)
lazyread() {
	set -- $(python3 "$(dirname "$0")/diskcache.py" "$(bfile)" search-info) "$(partsread)"
	[ "$5" = $(($1 - $4 + 1)) ] || { echo "parts read: $5 of $1 ($4 lazy)" >&2 && false; }
}
few_unpacked() {
	set -- $(unpacked)
	[ -n "$1" ] && [ $(($1 * 10)) -lt "$2" ] || { echo "unpacked: $(unpacked)" >&2 && false; }
}
bfile() { ls -t "$T/cache/jixia/"search-*.cache | head -1; }
bedit() { printf '\nEdit %s.\n' "$1" >>"$B/content/faq/gen-$2.md"; }
appended() {
	set -- $(saved)
	[ "$3" = appended ] && [ "$1" -gt 0 ] && [ $(($1 * 4)) -lt "$2" ] || { echo "saved: $(saved)" >&2 && false; }
}
"$JIXIA" build -j 2 "$B" -o "$T/bout" 2>/dev/null
bedit 1 100
check "a site of 400 pages: the state made" bb
check "  in parts, the file written whole" sh -c '[ "$(echo $0 | cut -d" " -f3-)" = "the file whole" ] && [ "$(echo $0 | cut -d" " -f2)" -gt 20 ]' "$(saved)"
n=$(saved | cut -d' ' -f2)
size=$(stat -c %s "$(bfile)")
bedit 2 100
check "one page's body edited" bb
check "  one page indexed again, the state kept" kept 1
check "  every part read but the forward lists of the other blocks of pages" lazyread
check "  the postings of a fifth of the terms or fewer read" few_checked
check "  the postings of a tenth of the terms or fewer taken apart" few_unpacked
check "  a few parts written, appended to the file" appended
check "  the file grew by less than a tenth" test $(($(stat -c %s "$(bfile)") * 10)) -lt $((size * 11))
check "  output equals a cold build" coldb
bedit 3 200
check "another page's body edited" bb
check "  a few parts written, appended" appended
check "  a few terms taken apart" few_unpacked
check "  output equals a cold build" coldb
# A title made longer moves the titles' average past the bound (search.c's
# S_update) while the others stay: the steps of the postings with a title
# are computed again, so the terms that have such postings (the 400
# titles' words, the state's fields per term) are read (checked), and
# only those whose steps or frag lists move taken apart, a few, not every
# term; twice in a row (the second from the state the first saved).
title_read() {
	set -- $(checked)
	[ -n "$1" ] && [ "$1" -gt 300 ] && [ $(($1 * 3)) -lt "$2" ] || { echo "checked: $(checked)" >&2 && false; }
}
sed -i 's/^title: Page 250$/title: Page 250 and a title much longer than the others/' "$B/content/faq/gen-250.md"
check "a title made longer (the titles' average drifted)" bb
check "  one page indexed again, the state kept" kept 1
check "  the terms with titles' postings read, a third of the terms or fewer" title_read
check "  the postings of a tenth of the terms or fewer taken apart" few_unpacked
check "  output equals a cold build" coldb
sed -i 's/^title: Page 251$/title: Page 251 and another one/' "$B/content/faq/gen-251.md"
check "  then another one" bb
check "  the terms with titles' postings read again" title_read
check "  a few terms taken apart" few_unpacked
check "  output equals a cold build" coldb
# (as many words as before: the averages stay, only the terms it had or has are read)
awk 'BEGIN { printf "---\ntitle: Page 201\n---\n\nonlyhere"; for (i = 2000; i < 2149; i++) printf " w%04d%s", i, substr("abcdefgh", i % 8 + 1, 1); print "" }' >"$B/content/faq/gen-201.md"
check "a page's words all replaced (words gone from it, one new)" bb
check "  one page indexed again, the state kept" kept 1
check "  a few terms read" few_checked
check "  output equals a cold build" coldb
printf '\nw0001b again.\n' >>"$B/content/faq/gen-201.md"
check "  then one more edit of it (its forward list the one saved)" bb
check "  one page indexed again, the state kept" kept 1
check "  output equals a cold build" coldb
rm "$B/content/faq/gen-150.md"
check "a page deleted (the pages renumbered)" bb
check "  output equals a cold build" coldb
bedit 7 202
check "  then a body edit (the forward lists made from the postings)" bb
check "  one page indexed again, the state kept" kept 1
check "  a few terms read" few_checked
check "  output equals a cold build" coldb
bedit 4 200
bb
python3 "$(dirname "$0")/diskcache.py" "$(bfile)" search-damage
bedit 5 200
check "a part damaged (its checksum not made again): a build" bb
check "  the index made again" sh -c '[ "$(echo "$0" | cut -d" " -f2)" = made ]' "$(indexed)"
check "  output equals a cold build" coldb
# appended until a quarter is dead, then written whole (smaller than before)
i=0 whole=
while [ $i -lt 60 ] && [ -z "$whole" ]; do
	bedit "6$i" $((300 + i % 50))
	size=$(stat -c %s "$(bfile)")
	bb || break
	case "$(saved)" in *whole) whole=$i ;; esac
	i=$((i + 1))
done
check "edits appended until the file is written whole again" test -n "$whole" -a "${whole:-0}" -gt 2
check "  smaller than before" test "$(stat -c %s "$(bfile)")" -lt "$size"
check "  output equals a cold build" coldb
bedit 7 310
check "then an edit" bb
check "  one page indexed again, the state kept" kept 1
check "  appended again" appended
check "  output equals a cold build" coldb

# An error the model reports in a page the cache took (not parsed, its
# file not read) quotes its line: the file read then, for the quote.
printf '\nSee [gone](/nowhere/missing/).\n' >>"$S/content/faq/bloat.md"
check "a link that leads nowhere: the build fails" sh -c '! "$0" build -j 2 "$1" -o "$2" 2>/dev/null' "$JIXIA" "$S" "$T/out"
check "built again: the page taken from the cache fails again" sh -c '! "$0" build -v -j 2 "$1" -o "$2" 2>"$3"' "$JIXIA" "$S" "$T/out" "$T/err"
check "  that page not parsed (warned.md alone is, as every time: it warns)" is 1
check "  its line quoted, read from its file" grep -q '^ *See \[gone\](/nowhere/missing/)\.$' "$T/err"
sed -i '$d' "$S/content/faq/bloat.md"
sed -i '$d' "$S/content/faq/bloat.md"
check "the link taken out: built" b
check "  output equals a cold build" cold

# Caches of site folders no build wrote for 30 days go (moved or deleted
# sites); a recent one, another name and a link stay.
C="$T/cache/jixia"
for f in parse-gone.cache history-gone.cache parse-recent.cache keep-old.txt; do printf x >"$C/$f"; done
touch -d '40 days ago' "$C/parse-gone.cache" "$C/history-gone.cache" "$C/keep-old.txt"
ln -s "$T/target" "$C/parse-link.cache"
edit 12 faq/bloat.md
check "a rebuild sweeps old caches" b
check "  a parse cache unused for 40 days removed" test ! -e "$C/parse-gone.cache"
check "  a history cache unused for 40 days removed" test ! -e "$C/history-gone.cache"
check "  a recent one kept" test -f "$C/parse-recent.cache"
check "  another name kept" test -f "$C/keep-old.txt"
check "  a link left alone" test -L "$C/parse-link.cache"
check "  this site's own cache kept" test -f "$(ls "$C"/parse-*.cache | grep -v -e recent -e link | head -1)"
# A time of day in a zone of the system's database (the site's
# Asia/Shanghai): its instant is read from a zone file that no digest
# covers and an update of the system's zones may change, so a rebuild
# values such a page afresh (rerender.c's S_zoned), not from the state.
for i in 1 2 3; do
	sed "s/^date: 2024-06-01$/date: 2024-06-0$i 19:30/; s/^title: .*/title: Zoned $i/" \
		"$S/content/talks/2024-vacuum.md" >"$S/content/talks/zoned-$i.md"
done
check "three talks at a time of day in the site's zone: a build" b
edit 14 faq/bloat.md
check "  another page's edit" b
edit 15 faq/bloat.md
check "  and another" b
check "  values those three afresh, with the edited page" sh -c 'test -n "$0" -a "$0" -ge 4 || { echo "valued $0" >&2 && false; }' "$(valued)"
check "  output equals a cold build" cold

finish
