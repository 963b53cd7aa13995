# hostile.sh — runs every case of tests/hostile/ (see its README): a fresh
# copy of the base site plus the case's files, then checks the exit status,
# the diagnostics and properties of the output. A hang fails the case.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

# check_line KIND ARG : one line of a case's expect file; sets why on failure.
check_line() {
	case $1 in
	exit) [ "$rc" = "$2" ] || why="exit $rc, want $2" ;;
	stderr) grep -qF -- "$2" "$err" || why="stderr lacks '$2'" ;;
	nostderr) ! grep -qF -- "$2" "$err" || why="stderr holds '$2'" ;;
	count)
		# count N TEXT: TEXT is on exactly N lines of stderr.
		n=${2%% *}
		text=${2#* }
		got=$(grep -cF -- "$text" "$err")
		[ "$got" = "$n" ] || why="'$text' on $got lines of stderr, want $n"
		;;
	absent)
		text=$(printf '%b' "$2")
		if [ -d "$out" ] && grep -rqF -- "$text" "$out"; then
			why="output holds '$2'"
		fi
		;;
	nofile) [ ! -e "$out/$2" ] || why="output has $2" ;;
	maxrss)
		# maxrss MIB: jixia's peak resident memory was at most MIB MiB
		# (not checked under AddressSanitizer, whose shadow and redzones
		# are most of it).
		if [ "$asan" = 0 ]; then
			kb=$(tail -n 1 "$T/$name/rss")
			case $kb in
			'' | *[!0-9]*) why="no peak memory measured ($kb)" ;;
			*) [ "$kb" -le $(($2 * 1024)) ] || why="peak memory $((kb / 1024)) MiB, over $2 MiB" ;;
			esac
		fi
		;;
	after)
		# after SHELL: a check run in the site folder once jixia is done,
		# with OUT, ERR and CASE (the case's folder) set; it must succeed.
		(cd "$site" && OUT=$out ERR=$err CASE=$c sh -c "$2") >"$T/after.log" 2>&1 ||
			why="after '$2' failed: $(head -c 300 "$T/after.log")"
		;;
	esac
}

# An AddressSanitizer build (make asan) skips the maxrss checks.
asan=0
if grep -qa __asan_init "$JIXIA"; then asan=1; fi

for c in "$here"/hostile/*/; do
	name=$(basename "$c")
	[ "$name" = base ] && continue
	site=$T/$name/site
	out=$T/$name/out
	err=$T/$name/err
	mkdir -p "$T/$name"
	cp -r "$here/hostile/base" "$site"
	[ -d "$c/files" ] && cp -r "$c/files/." "$site/"
	[ -f "$c/setup.sh" ] && (cd "$site" && sh "$c/setup.sh")
	# run LINE: the jixia command line after the binary, with SITE and OUT
	# standing for the folders (default: build SITE -o OUT).
	cmd=$(sed -n 's/^run //p' "$c/expect" | head -n 1)
	[ -n "$cmd" ] || cmd='build SITE -o OUT'
	set -f
	# shellcheck disable=SC2086
	set -- $cmd
	set +f
	args=
	for a in "$@"; do
		case $a in
		SITE) a=$site ;;
		OUT) a=$out ;;
		esac
		args="$args$(printf '%s' "$a" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/") "
	done
	eval "set -- $args"
	# cwd DIR: jixia runs in DIR under the case's folder (made if missing).
	dir=$(sed -n 's/^cwd //p' "$c/expect" | head -n 1)
	mkdir -p "$T/$name/$dir"
	# maxrss: the peak memory measured by GNU time (the time package), the
	# largest of timeout's and jixia's.
	if grep -q '^maxrss ' "$c/expect" && [ "$asan" = 0 ]; then
		(cd "$T/$name/$dir" && /usr/bin/time -f %M -o "$T/$name/rss" timeout 20 "$JIXIA" "$@") \
			>"$T/$name/stdout" 2>"$err"
	else
		(cd "$T/$name/$dir" && timeout 20 "$JIXIA" "$@") >"$T/$name/stdout" 2>"$err"
	fi
	rc=$?
	why=
	while IFS= read -r line; do
		[ -z "$why" ] || break
		check_line "${line%% *}" "${line#* }"
	done <"$c/expect"
	if [ -z "$why" ]; then ok "hostile $name"; else fail "hostile $name" "$why; stderr: $(head -c 600 "$err")"; fi
done
finish
