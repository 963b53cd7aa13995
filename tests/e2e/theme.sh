# theme.sh — the embedded default theme, overrides from the repository,
# template errors at their layouts/FILE:line:col, i18n fallback.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkdir -p "$site/content/faq"
printf 'title: T\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\n' >"$site/site.yaml"
printf -- '---\ntitle: "<b>问</b>"\n---\n答。\n' >"$site/content/faq/q.md"
printf -- '---\ntitle: Q\n---\nA.\n' >"$site/content/faq/q.en.md"

# No layouts/ or assets/: the embedded theme builds the site.
"$JIXIA" build "$site" -o "$T/o1" 2>"$T/err"
check "builds with the embedded theme" test $? -eq 0
check "embedded layout used" grep -q 'class="skip-link"' "$T/o1/faq/q/index.html"
check "embedded assets copied" test -s "$T/o1/assets/style.css"
check "front matter title escaped" contains "$T/o1/faq/q/index.html" "&lt;b&gt;问&lt;/b&gt;"

# A repository file overrides the embedded one of the same path.
mkdir -p "$site/layouts" "$site/assets"
printf '<p>custom {{page.title}}</p>\n' >"$site/layouts/faq.html"
printf 'body{}\n' >"$site/assets/style.css"
"$JIXIA" build "$site" -o "$T/o2" 2>"$T/err"
check "override builds" test $? -eq 0
check "repository layout wins" grep -qx '<p>custom &lt;b&gt;问&lt;/b&gt;</p>' "$T/o2/faq/q/index.html"
check "repository asset wins" grep -qx 'body{}' "$T/o2/assets/style.css"
check "other embedded layouts still used" grep -q 'class="skip-link"' "$T/o2/index.html"

# A raw tag on a contributor's value is a template error.
printf 'line one\n  <h1>{{{page.title}}}</h1>\n' >"$site/layouts/faq.html"
"$JIXIA" build "$site" -o "$T/o3" 2>"$T/err"
check "raw tag on untrusted value exits 1" test $? -eq 1
check "raw tag error at layouts/faq.html:2:7" grep -q '^layouts/faq.html:2:7: error: .*raw' "$T/err"
check "no output on template error" test ! -d "$T/o3"

# Trusted HTML may go out raw.
printf '{{{page.content}}}\n' >"$site/layouts/faq.html"
"$JIXIA" build "$site" -o "$T/o4" 2>"$T/err"
check "raw page.content allowed" grep -qx '<p>答。</p>' "$T/o4/faq/q/index.html"

# Syntax errors and unknown partials stop the build with their position.
printf 'a\n{{#page}}\n  {{>nosuch}}\n' >"$site/layouts/faq.html"
"$JIXIA" build "$site" -o "$T/o5" 2>"$T/err"
check "template errors exit 1" test $? -eq 1
check "unclosed section at its line" grep -q '^layouts/faq.html:2:1: error: .*page' "$T/err"
printf '{{>nosuch}}\n' >"$site/layouts/faq.html"
"$JIXIA" build "$site" -o "$T/o5" 2>"$T/err"
check "unknown partial at its line:col" grep -q "^layouts/faq.html:1:1: error: .*nosuch" "$T/err"
rm "$site/layouts/faq.html"

# A UI string missing from a language falls back to the default, with a warning.
mkdir -p "$site/layouts/i18n"
printf 'faq: 问答\nsearch: 搜索\n' >"$site/layouts/i18n/zh.yaml"
printf 'faq: FAQ\n' >"$site/layouts/i18n/en.yaml"
printf '<title>{{t.search}}|{{t.faq}}</title>\n' >"$site/layouts/faq.html"
"$JIXIA" build "$site" -o "$T/o6" 2>"$T/err"
check "i18n fallback builds" test $? -eq 0
check "missing key warned" grep -q "warning: UI string 'search' is missing for language 'en'" "$T/err"
check "default language string used" grep -qx '<title>搜索|FAQ</title>' "$T/o6/en/faq/q/index.html"

finish
