# theme.sh — the embedded default theme, overrides from the repository,
# template errors at their layouts/FILE:line:col, i18n fallback, template
# names no page has.
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

# A tag whose name no output's data has (a misspelling) is a warning at
# its line:col, an error with --strict; a field only some pages have is
# not, nor are the default theme's optional names on a small site.
n=$T/names
mkdir -p "$n/content/faq"
printf 'title: N\n' >"$n/site.yaml"
printf -- '---\ntitle: A\ndate: 2024-01-02\n---\nx\n' >"$n/content/faq/a.md"
printf -- '---\ntitle: B\n---\ny\n' >"$n/content/faq/b.md"
"$JIXIA" build "$n" -o "$T/n0" --strict 2>"$T/err"
check "default theme: no unknown name with --strict" test $? -eq 0
check "default theme: no warning" sh -c "! grep -v 'not in a git repository' '$T/err' | grep -q ."
mkdir -p "$n/layouts"
printf '<h1>{{page.title}}</h1>\n<p>{{page.titel}}</p>\n{{#page.date}}<time>{{.}}</time>{{/page.date}}\n' \
	>"$n/layouts/faq.html"
printf '{{#page.answered_by}}{{name}}{{/page.answered_by}}{{#page.sumary}}s{{/page.sumary}}\n' \
	>>"$n/layouts/faq.html"
# Front matter of pages without a type: one page has a banner.
printf -- '---\ntitle: About\nbanner: hi\n---\nx\n' >"$n/content/about.md"
printf -- '---\ntitle: Contact\n---\ny\n' >"$n/content/contact.md"
# and one with keys of every shape, found through render.c's bits of each page's keys
printf -- '---\ntitle: More\nx: 1\n长标题: 中\na_much_longer_key_name: v\n"": e\n---\nz\n' >"$n/content/more.md"
printf '{{page.title}}{{#page.banner}}<p>{{.}}</p>{{/page.banner}}{{page.baner}}%s\n' \
	'{{#page.x}}[{{page.x}}|{{page.长标题}}|{{page.a_much_longer_key_name}}|{{page.a_much_longer_key_namf}}]{{/page.x}}' \
	>"$n/layouts/page.html"
"$JIXIA" build "$n" -o "$T/n1" 2>"$T/err"
check "misspelt name: builds without --strict" test $? -eq 0
check "misspelt name: a warning at layouts/faq.html:2:4" \
	grep -q "^layouts/faq.html:2:4: warning: no page has 'page.titel'" "$T/err"
check "misspelt section name: at layouts/faq.html:4:51" \
	grep -q "^layouts/faq.html:4:51: warning: no page has 'page.sumary'" "$T/err"
check "a field one page has is not reported" sh -c "! grep -q \"has 'page.date'\" '$T/err'"
check "front matter one page has is not reported" sh -c "! grep -q \"has 'page.banner'\" '$T/err'"
check "front matter no page has is reported" grep -q "^layouts/page.html:1:59: warning: no page has 'page.baner'" "$T/err"
check "the optional value renders where it is" grep -qx 'About<p>hi</p>' "$T/n1/about/index.html"
check "every front matter key is found, the one it lacks is not" grep -qx 'More\[1|中|v|\]' "$T/n1/more/index.html"
check "a field no page has yet is not reported" sh -c "! grep -q \"has 'page.answered_by'\" '$T/err'"
"$JIXIA" build "$n" -o "$T/n2" --strict -j 1 2>"$T/err1"
check "misspelt name with --strict exits 1" test $? -eq 1
check "misspelt name with --strict: an error at its line:col" \
	grep -q "^layouts/faq.html:2:4: error: no page has 'page.titel'" "$T/err1"
check "misspelt name with --strict: no output" test ! -d "$T/n2"
"$JIXIA" build "$n" -o "$T/n2" --strict -j 4 2>"$T/err4"
check "unknown names: the same report at -j 1 and -j 4" cmp -s "$T/err1" "$T/err4"
# The names render.c answers to, listed for this report, are its S_keyis literals.
src=$here/../generator/render.c
grep -o 'S_keyis(key, n, "[a-z_0-9]*")' "$src" | sed 's/.*"\(.*\)")/\1/' | LC_ALL=C sort -u >"$T/keys"
sed -n '/^static const char \*const S_names\[\]/,/^};/p' "$src" | grep -o '"[a-z_0-9]*"' | tr -d '"' >"$T/listed"
check "render.c: S_names lists every key a class answers to, sorted" cmp -s "$T/keys" "$T/listed"


# A Hugo site's layouts/ (Go templates): one error at the first file's
# first Go tag that says what it is, not a Mustache error per tag; the
# default theme's own templates copied into layouts/ are not taken for Go.
hugo=$T/hugo && mkdir -p "$hugo/content/faq" "$hugo/layouts/partials" "$hugo/layouts/_default"
cp "$site/site.yaml" "$hugo/" && cp "$site/content/faq/q.md" "$hugo/content/faq/"
printf '<!doctype html>\n<html>{{ block "main" . }}{{ end }}</html>\n' >"$hugo/layouts/_default/baseof.html"
printf '<nav>\n  {{- range .Site.Menus.main }}\n<a href="{{ .URL }}">{{ .Name }}</a>{{ end }}</nav>\n' >"$hugo/layouts/partials/header.html"
printf '{{/* Docsy-delta */ -}}\n<p>x</p>\n' >"$hugo/layouts/partials/footer.html"
"$JIXIA" build "$hugo" -o "$T/hugo-out" 2>"$T/err"
check "Go templates in layouts/: exit 1" test $? -eq 1
check "Go templates in layouts/: one error" test "$(grep -c ': error: ' "$T/err")" -eq 1
check "Go templates in layouts/: at the first one, what it is and what to do" grep -qxF \
	"layouts/_default/baseof.html:2:7: error: this looks like a Hugo (Go) template; jixia uses Mustache: see README 'Moving from Hugo' (3 files in layouts/ like this; move them out of layouts/ or rewrite them)" "$T/err"
check "Go templates in layouts/: README has the section it names" grep -q '^## Moving from Hugo' "$here/../README.md"
rm -rf "$hugo/layouts" && mkdir -p "$hugo/layouts" && cp -r "$here/../layouts/." "$hugo/layouts/"
"$JIXIA" build "$hugo" -o "$T/hugo-out" 2>"$T/err"
check "the default theme copied into layouts/ is Mustache" sh -c "! grep -q 'Hugo (Go) template' '$T/err'"


# Region language codes (Hugo's zh-cn, pt-br): URLs and file names keep the
# code as written, lang and hreflang take BCP 47's case (zh-CN); UI strings
# come from the base language's file (zh.yaml) before the default's, with
# no warning per string; a language with no strings at all is one warning.
reg=$T/region && mkdir -p "$reg/content/docs"
printf 'title: T\nbase_url: https://example.org/\nlanguages:\n  - {code: en, name: English, default: true}\n  - {code: zh-cn, name: 简体中文}\n  - {code: pt-br, name: Português}\n' >"$reg/site.yaml"
printf -- '---\ntitle: Install\n---\n## One\n\n## Two\n\n> [!TIP]\n> x\n' >"$reg/content/docs/install.md"
printf -- '---\ntitle: 安装\n---\n## 一\n\n## 二\n\n> [!TIP]\n> x\n' >"$reg/content/docs/install.zh-cn.md"
printf -- '---\ntitle: Instalar\n---\nx\n' >"$reg/content/docs/install.pt-br.md"
"$JIXIA" build "$reg" -o "$T/region-out" 2>"$T/err"
check "region codes: build (exit 0)" test $? -eq 0
p=$T/region-out/zh-cn/docs/install/index.html
check "region codes: the URL keeps the code" test -s "$p"
check "region codes: html lang in BCP 47 case" grep -q '<html lang="zh-CN"' "$p"
check "region codes: hreflang in BCP 47 case" grep -q 'hreflang="pt-BR"' "$p"
check "region codes: the head's alternates in BCP 47 case" grep -q '<link rel="alternate" hreflang="pt-BR" href="https://example.org/pt-br/docs/install/">' "$p"
check "region codes: no alternate in the code's own case" sh -c "! grep -q 'rel=\"alternate\" hreflang=\"pt-br\"' '$p'"
check "region codes: sitemap hreflang" grep -q 'hreflang="zh-CN" href="https://example.org/zh-cn/docs/install/"' "$T/region-out/sitemap.xml"
check "region codes: UI strings from zh.yaml" grep -q '<p class="toc-title" id="toc-title">本页目录</p>' "$p"
check "region codes: the callout's label from zh.yaml" grep -q '<p class="admonition-title">提示</p>' "$p"
check "region codes: no warning per string for zh-cn" sh -c "! grep -q \"language 'zh-cn'\" '$T/err'"
check "region codes: one warning for a language with no strings" test "$(grep -c "pt-br" "$T/err")" -eq 1
check "region codes: which says so" grep -qF "warning: no UI strings for language 'pt-br' (layouts/i18n/pt-br.yaml or pt.yaml); using en" "$T/err"
mkdir -p "$reg/layouts/i18n" && printf 'search: Pesquisar\n' >"$reg/layouts/i18n/pt.yaml"
"$JIXIA" build "$reg" -o "$T/region-out2" 2>"$T/err"
check "region codes: a base file of the repository (pt.yaml)" grep -q '>Pesquisar<' "$T/region-out2/pt-br/docs/install/index.html"
check "region codes: its missing strings warned once each" grep -qF "warning: UI string 'home' is missing for language 'pt-br'" "$T/err"

finish
