# browser.sh — builds this repository's own portal and runs the
# accessibility check (axe-core in headless Chromium) on the home page, a
# list page and one page of each type, in the light and the dark scheme.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

if ! command -v chromium >/dev/null 2>&1 || [ ! -d "$here/browser/node_modules/axe-core" ]; then
	fail "browser tests" "need chromium and tests/browser/node_modules (make browser-deps as root)"
	finish
	exit 1
fi
if ! SOURCE_DATE_EPOCH=1795305600 "$JIXIA" build "$here/.." -o "$T/portal" 2>"$T/err"; then
	fail "portal builds" "$(cat "$T/err")"
	finish
	exit 1
fi
ok "portal builds"
finish
# a11y.mjs prints its own "a11y: N passed, N failed" line, which run.sh adds up.
cd "$here/browser" && timeout 600 node a11y.mjs "$T/portal"
