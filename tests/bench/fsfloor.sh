#!/usr/bin/env bash
# The filesystem's share of a cold build, side by side with Hugo's build.
#
#   tests/bench/fsfloor.sh JIXIA [PAGES] [COMMITS] [RUNS]
#
# compare-hugo.sh (../shared/bench) deletes each tool's last output and
# syncs before its build. On a journal-less ext4 the inodes that delete
# frees are skipped for a while by the next allocations (README, "Build
# speed and memory"), so after it any tool pays per file and per folder
# made. This script runs compare-hugo's protocol on its corpora (made by it
# under ${BENCH_DIR:-/tmp/jixia-bench}; run it once first) and adds a third
# contestant, `cp -r` of jixia's own output into a folder just deleted in
# the same way: the cost of making those files and folders with no work
# at all behind them. Its time over Hugo's is the lowest time ratio any
# tool that writes this site's files can reach here; jixia's time over
# cp's is what jixia's own work adds.
#
# The three go in a rotating order, run 0 warms the caches and is not
# counted; medians of the runs and of the pairs' ratios are printed.
set -euo pipefail
jixia=$(realpath "${1:?usage: fsfloor.sh JIXIA [PAGES] [COMMITS] [RUNS]}")
pages=${2:-10000} commits=${3:-5000} runs=${4:-3}
root=${BENCH_DIR:-/tmp/jixia-bench}
corpus=$root/corpus-$pages-$commits hsite=$root/corpus-$pages-$commits-hugo
[ -d "$corpus" ] && [ -d "$hsite" ] || {
	echo "fsfloor.sh: no $corpus or $hsite: run ../shared/bench/compare-hugo.sh first" >&2
	exit 2
}
tmp=$(mktemp -d "$root/fsfloor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# one timed run: prints "seconds user system"
timed() {
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" ||
		{ echo "failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
	cat "$tmp/time"
}
fresh() { rm -rf "$1"; sync; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The copy's source: one build of jixia, kept for the whole run.
(cd "$corpus" && "$jixia" build -o "$tmp/src" >/dev/null 2>&1)
run_j() { fresh "$root/out-j"; (cd "$corpus" && timed "$jixia" build -o "$root/out-j"); }
run_h() { fresh "$root/out-h"; (cd "$hsite" && timed hugo --quiet -d "$root/out-h"); }
run_c() { fresh "$root/out-c"; timed cp -r "$tmp/src" "$root/out-c"; }

: >"$tmp/j"; : >"$tmp/h"; : >"$tmp/c"; : >"$tmp/rj"; : >"$tmp/rc"
for i in $(seq 0 "$runs"); do
	case $((i % 3)) in
	0) j=$(run_j); h=$(run_h); c=$(run_c) ;;
	1) h=$(run_h); c=$(run_c); j=$(run_j) ;;
	*) c=$(run_c); j=$(run_j); h=$(run_h) ;;
	esac
	echo "run $i: jixia $j, hugo $h, cp -r $c (seconds: wall user system)" >&2
	[ "$i" = 0 ] && continue
	echo "$j" >>"$tmp/j"; echo "$h" >>"$tmp/h"; echo "$c" >>"$tmp/c"
	echo "$j $h" | awk '{printf "%.4f\n", $1/$4}' >>"$tmp/rj"
	echo "$c $h" | awk '{printf "%.4f\n", $1/$4}' >>"$tmp/rc"
done
col() { cut -d' ' -f"$2" "$tmp/$1" | median; }
rm -rf "$root/out-c"
echo "corpus: $pages pages, $commits commits; $(find "$tmp/src" -type f | wc -l) files and $(find "$tmp/src" -type d | wc -l) folders in jixia's output"
for t in j h c; do
	case $t in j) name=jixia ;; h) name=hugo ;; *) name="cp -r" ;; esac
	echo "$name: median wall $(col $t 1) s, user $(col $t 2) s, system $(col $t 3) s"
done
echo "time ratio jixia/hugo (median of runs): $(median <"$tmp/rj")"
echo "time ratio cp -r/hugo (median of runs): $(median <"$tmp/rc")"
