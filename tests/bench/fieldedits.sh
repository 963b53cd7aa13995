#!/bin/sh
# fieldedits.sh JIXIA_A JIXIA_B [PAIRS]: two jixia binaries' one-page
# rebuilds after a title or a tags edit (the kinds alternate pair by pair,
# title first), as onepage.sh does body edits: A B, A B, B A, B A, ..., each binary on
# its own copy of the corpus (BENCH_CORPUS, else /work/bench/c10k) with its
# own cache folder, the same page edited the same way in both copies, each
# rebuild 3.2 s after the edit. Such an edit often moves a field's average
# past the bound of search.c's S_update (a drift). Prints each build's
# index and state lines and a TIME line (wall, user, system seconds, peak
# KiB), then the medians per kind and binary. A benchmark, not a test: it
# asserts nothing.
set -eu
A=$1 B=$2 N=${3:-10}
. "$(dirname "$0")/pairs.sh"
pairs_setup fieldedits
# edit X KIND I: page I's title or tags (the same page and text in both copies)
edit() {
	f=$T/$1/content/talks/$(ls "$T/$1/content/talks" | sed -n "$(($3 * 53 + 11))p")
	case $2 in
	title) sed -i "s/^title: .*/title: 'Edited title $3'/" "$f" ;;
	tags) sed -i "s/^tags: .*/tags: [$(echo performance gis ai backup | cut -d' ' -f$(($3 % 4 + 1)))]/" "$f" ;;
	body) printf '\nEdited %s.\n' "$3" >>"$f" ;;
	esac
}
for x in a b; do
	[ $x = a ] && bin=$A || bin=$B
	build $x "$bin" >/dev/null 2>&1
	for i in 1 2 3; do
		edit $x body 0
		sleep 3.2
		build $x "$bin" >/dev/null 2>&1
	done
done
for i in $(seq 1 "$N"); do
	[ $((i % 2)) = 1 ] && kind=title || kind=tags
	# which binary goes first alternates (onepage.sh), each kind's too: a b, a b, b a, b a, ...
	order="a b"
	[ $(((i + 1) / 2 % 2)) = 0 ] && order="b a"
	for x in $order; do
		[ $x = a ] && bin=$A || bin=$B
		edit $x $kind "$i"
		sleep 3.2
		/usr/bin/time -f "TIME $x $kind %e %U %S %M" sh -c "XDG_CACHE_HOME='$T/cache-$x' CI=1 '$bin' build -j2 -v '$T/$x' -o '$T/out-$x'" 2>&1 |
			grep -E '^TIME|^jixia: (index|state|total) ' | sed "s/^/$x $kind /" | tee -a "$T/log"
	done
done
for kind in title tags; do
	for x in a b; do
		wall=$(awk -v x=$x -v k=$kind '$1 == x && $2 == k && $3 == "TIME" { print $6 }' "$T/log" | med)
		cpu=$(awk -v x=$x -v k=$kind '$1 == x && $2 == k && $3 == "TIME" { print $7 + $8 }' "$T/log" | med)
		rss=$(awk -v x=$x -v k=$kind '$1 == x && $2 == k && $3 == "TIME" { print $9 }' "$T/log" | med)
		idx=$(awk -v x=$x -v k=$kind '$1 == x && $2 == k && $4 == "index" { print $5 }' "$T/log" | med)
		echo "$x $kind: median wall $wall s, CPU $cpu s, peak $rss KiB, index stage $idx ms"
	done
done
