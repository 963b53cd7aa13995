# golden.sh — each tests/golden/NAME/ holds a small site (site/) and the
# output it must build to (expected/). A mismatch prints diff -ru.
# Files of the built-in theme's assets/ are left out unless the site has
# an assets/ folder. NAME/now, when present, holds the build time
# (seconds since 1970; default 1700000000). UPDATE=1 rewrites expected/ from the current build (do it on purpose only).
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

for g in "$here"/golden/*/; do
	[ -d "$g/site" ] || continue
	name=$(basename "$g")
	out="$T/$name"
	now=$(cat "$g/now" 2>/dev/null || echo 1700000000)
	# Built from a copy outside jixia's own repository: git history (dates,
	# authors, /contributors/) would otherwise change with every commit here.
	cp -R "$g/site" "$T/$name.site"
	if ! SOURCE_DATE_EPOCH=$now "$JIXIA" build "$T/$name.site" -o "$out" -j 2 2>"$T/$name.err"; then
		fail "golden $name" "build failed: $(cat "$T/$name.err")"
		continue
	fi
	rm -f "$out/.jixia-output"
	# The default theme's assets belong to the browser tests, not to goldens,
	# unless the golden site brings its own.
	[ -d "$g/site/assets" ] || rm -rf "$out/assets"
	if [ "${UPDATE:-}" = 1 ]; then
		rm -rf "$g/expected"
		cp -r "$out" "$g/expected"
		ok "golden $name (updated)"
	elif diff -ru "$g/expected" "$out"; then
		ok "golden $name"
	else
		fail "golden $name" "output differs from tests/golden/$name/expected (diff above)"
	fi
done
finish
