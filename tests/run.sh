#!/bin/sh
# run.sh — the whole suite: unit tests, the Mustache spec, golden sites,
# end-to-end CLI tests and (when Chromium is there) browser tests. Each part
# prints "NAME: N passed, N failed"; the last line adds them up.
#   B=build JIXIA=build/jixia MUSTACHE_SPEC=DIR sh tests/run.sh
set -u
B=${B:-build}
JIXIA=${JIXIA:-$B/jixia}
JIXIA=$(realpath "$JIXIA")
export JIXIA B
# Build stamps (incr.c) go to a cache of the run's own, not the user's.
XDG_CACHE_HOME=$(mktemp -d /tmp/jixia-cache.XXXXXX)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
total_pass=0
total_fail=0

# Adds the counts from the summary lines a part printed.
tally() {
	out=$1
	p=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' | tail -n 1)
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-1}))
}

run_part() {
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^ok ' >&2 || true
	if ! printf '%s\n' "$out" | grep -q 'passed, [0-9]* failed$'; then
		echo "$name: no summary (exit $rc)" >&2
		out="$name: 0 passed, 1 failed"
	elif [ $rc -ne 0 ] && printf '%s\n' "$out" | tail -n 1 | grep -q ' 0 failed$'; then
		echo "$name: exit $rc with no failed check" >&2
		out="$name: 0 passed, 1 failed"
	fi
	tally "$out"
}

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ "$name" = test_spec ] && continue
	run_part "$name" "$t"
done

if [ -n "${MUSTACHE_SPEC:-}" ] && [ -d "$MUSTACHE_SPEC" ] && [ -x "$B/tests/test_spec" ]; then
	run_part spec-mustache "$B/tests/test_spec" "$MUSTACHE_SPEC"/*.yml
fi

for t in "$here"/e2e/*.sh; do
	[ -f "$t" ] || continue
	run_part "$(basename "$t" .sh)" sh "$t"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
