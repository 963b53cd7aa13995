# hostile.sh — runs every case of tests/hostile/ (see its README): a fresh
# copy of the base site plus the case's files, then checks the exit status,
# the diagnostics and properties of the output. A hang fails the case.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

for c in "$here"/hostile/*/; do
	name=$(basename "$c")
	[ "$name" = base ] && continue
	site=$T/$name
	out=$T/$name-out
	cp -r "$here/hostile/base" "$site"
	[ -d "$c/files" ] && cp -r "$c/files/." "$site/"
	[ -f "$c/setup.sh" ] && (cd "$site" && sh "$c/setup.sh")
	timeout 20 "$JIXIA" build "$site" -o "$out" >"$T/$name.stdout" 2>"$T/$name.err"
	rc=$?
	good=1
	why=
	while IFS= read -r line; do
		kind=${line%% *}
		arg=${line#* }
		case $kind in
		exit) [ "$rc" = "$arg" ] || { good=0; why="exit $rc, want $arg"; } ;;
		stderr) grep -qF -- "$arg" "$T/$name.err" || { good=0; why="stderr lacks '$arg'"; } ;;
		absent)
			text=$(printf '%b' "$arg")
			if [ -d "$out" ] && grep -rqF -- "$text" "$out"; then
				good=0
				why="output holds '$arg'"
			fi
			;;
		nofile) [ ! -e "$out/$arg" ] || { good=0; why="output has $arg"; } ;;
		esac
	done <"$c/expect"
	if [ $good = 1 ]; then ok "hostile $name"; else fail "hostile $name" "$why; stderr: $(head -c 600 "$T/$name.err")"; fi
done
finish
