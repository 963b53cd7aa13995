#!/bin/sh
# layering.sh — generator/'s modules depend on each other one way. A
# module is a .c/.h pair; it depends on every module whose header either
# file includes. tsort fails on a cycle and names it. With --print, the
# graph instead: each module, then the modules it includes.
. "$(dirname "$0")/../lib.sh"
src=$(cd "$(dirname "$0")/../../generator" && pwd)

# "module dependency" pairs, one a line.
edges() {
	for f in "$src"/*.c "$src"/*.h; do
		m=$(basename "$f")
		m=${m%.*}
		sed -n 's/^#include "\([a-z0-9_]*\)\.h".*/\1/p' "$f" | while read -r d; do
			[ "$d" = "$m" ] || echo "$m $d"
		done
	done | LC_ALL=C sort -u
}

if [ "${1:-}" = --print ]; then
	edges | awk '$1 != m { if (m != "") print m " ->" l; m = $1; l = "" } { l = l " " $2 }
		END { if (m != "") print m " ->" l }'
	exit 0
fi

edges > "$T/edges"
check "modules found" test -s "$T/edges"
check "every included header is a module's" sh -c '
	while read -r m d; do [ -f "$1/$d.h" ] || { echo "$m includes $d.h, which is not in generator/"; exit 1; }; done < "$2"' \
	sh "$src" "$T/edges"
# tsort prints each cycle it breaks as "input contains a loop:", then its modules.
if tsort "$T/edges" > /dev/null 2> "$T/loop"; then
	ok "no include cycle"
else
	fail "no include cycle" "$(sed -n 's/^tsort: .*loop:$/;/p; s/^tsort: \([a-z0-9_]*\)$/\1/p' "$T/loop" | tr '\n' ' ')"
fi
finish
