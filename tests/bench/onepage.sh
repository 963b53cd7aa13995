#!/bin/sh
# onepage.sh JIXIA_A JIXIA_B [PAIRS]: two jixia binaries' one-page rebuilds,
# alternated (A B B A A B ...), each binary on its own copy of the corpus
# (BENCH_CORPUS, else /work/bench/c10k) with its own cache folder. Each
# copy gets a cold build and three rebuilds first; then each pair appends
# a line to one page's body in both copies and rebuilds with -v, 3.2 s
# after the edit, as a contributor's edits come seconds apart (the output
# folders' record, write.c, vouches only for folders changed over three
# seconds before a build). Prints each build's stage lines and a TIME
# line (wall, user, system seconds, peak KiB), then the medians. A
# benchmark, not a test: it asserts nothing.
set -eu
A=$1 B=$2 N=${3:-5}
. "$(dirname "$0")/pairs.sh"
pairs_setup onepage
edit() { echo "edited $1 $(date +%s%N)" >>"$T/$2/content/talks/$(ls "$T/$2/content/talks" | sed -n "$(($1 * 37 + 5))p")"; }
for x in a b; do
	[ $x = a ] && bin=$A || bin=$B
	build $x "$bin" >/dev/null 2>&1
	for i in 1 2 3; do
		edit 0 $x
		sleep 3.2
		build $x "$bin" >/dev/null 2>&1
	done
done
for i in $(seq 1 "$N"); do
	# which binary goes first alternates: the first of a pair measured slower
	# (the same binary as A and B: 324 against 277 ms, session 41)
	order="a b"
	[ $((i % 2)) = 0 ] && order="b a"
	for x in $order; do
		[ $x = a ] && bin=$A || bin=$B
		edit "$i" $x
		sleep 3.2
		/usr/bin/time -f "TIME $x %e %U %S %M" sh -c "XDG_CACHE_HOME='$T/cache-$x' CI=1 '$bin' build -j2 -v '$T/$x' -o '$T/out-$x'" 2>&1 |
			grep -E '^TIME|^jixia: [a-z]+ +[0-9]' | sed "s/^/$x /" | tee -a "$T/log"
	done
done
awk '$2 == "TIME" { w[$1] = w[$1] " " $4; c[$1] = c[$1] " " ($5 + $6) }
END { for (x in w) print x, "wall", w[x], " cpu", c[x] }' "$T/log" | sort |
	while read -r x _ rest; do
		wall=$(echo "$rest" | sed 's/ cpu.*//' | tr ' ' '\n' | grep . | med)
		cpu=$(echo "$rest" | sed 's/.* cpu//' | tr ' ' '\n' | grep . | med)
		echo "$x: median wall $wall s, CPU $cpu s over $N one-page rebuilds"
	done
