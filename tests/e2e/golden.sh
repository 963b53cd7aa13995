# golden.sh — each tests/golden/NAME/ holds a small site (site/) and the
# output it must build to (expected/). A mismatch prints diff -ru.
# Files of the built-in theme's assets/ are left out unless the site has
# an assets/ folder. NAME/now, when present, holds the build time
# (seconds since 1970; default 1700000000). UPDATE=1 rewrites expected/ from the current build (do it on purpose only).
# NAME/broken/, when present, is laid over a copy of the site: that build
# must fail with exactly the diagnostics in NAME/broken.err (paths relative
# to the site) and leave the output as it was.
# NAME/l10n.txt and NAME/l10n.json are what `jixia l10n` prints for the
# site (text and JSON), a golden of the translators' CLI.
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
	# Posters and cards (PNG) are drawn with the system's fonts: their bytes
	# are tests/e2e/poster.sh's to check, not a golden's; their links stay here.
	find "$out" -name '*.png' -path '*/poster.png' -delete
	find "$out" -name 'card.png' -delete
	if [ "${UPDATE:-}" = 1 ]; then
		rm -rf "$g/expected"
		cp -r "$out" "$g/expected"
		ok "golden $name (updated)"
	elif diff -ru "$g/expected" "$out"; then
		ok "golden $name"
	else
		fail "golden $name" "output differs from tests/golden/$name/expected (diff above)"
	fi
	for f in txt json; do
		[ $f = txt ] && fmt=text || fmt=json
		SOURCE_DATE_EPOCH=$now "$JIXIA" l10n "$T/$name.site" --format $fmt >"$T/$name.l10n.$f" 2>/dev/null
		if [ "${UPDATE:-}" = 1 ]; then
			cp "$T/$name.l10n.$f" "$g/l10n.$f"
		elif diff -u "$g/l10n.$f" "$T/$name.l10n.$f"; then
			ok "golden $name: jixia l10n --format $fmt"
		else
			fail "golden $name: jixia l10n --format $fmt" "differs from tests/golden/$name/l10n.$f (diff above)"
		fi
	done
	[ -d "$g/broken" ] || continue
	cp -R "$T/$name.site" "$T/$name.broken"
	cp -R "$g/broken/." "$T/$name.broken/"
	cp -R "$out" "$T/$name.before"
	(cd "$T/$name.broken" && SOURCE_DATE_EPOCH=$now "$JIXIA" build . -o "$out" 2>"$T/$name.broken.err")
	rc=$?
	rm -f "$out/.jixia-output"
	grep -v '^jixia: warning: .* is not in a git repository' "$T/$name.broken.err" >"$T/$name.broken.got"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$T/$name.broken.got" "$g/broken.err"
	fi
	if [ $rc -eq 1 ] && diff -u "$g/broken.err" "$T/$name.broken.got" && diff -r "$T/$name.before" "$out" >/dev/null; then
		ok "golden $name: broken build reports exactly broken.err, output untouched"
	else
		fail "golden $name: broken build" "exit $rc; diagnostics or output differ (diff above)"
	fi
done
finish
