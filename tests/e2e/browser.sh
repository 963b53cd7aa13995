# browser.sh — builds this repository's own portal and runs the
# accessibility check (axe-core in headless Chromium) on the home page, a
# list page and one page of each type, in the light and the dark scheme,
# then the docs tree check (docs.mjs).
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
# a11y.mjs prints its own "a11y: N passed, N failed" line, which run.sh adds up;
# docs.mjs its "docs-browser: ..." line (the docs tree on a doc page, a
# section page and the docs list).
# run.sh counts the last line, so a11y.mjs's comes last; a failure of
# docs.mjs still fails the part through the exit status.
cd "$here/browser" || exit 1
timeout 300 node docs.mjs "$T/portal" /docs/tutorial/install/ /docs/tutorial/ /docs/
docs=$?
timeout 600 node a11y.mjs "$T/portal" || exit 1
exit $docs
