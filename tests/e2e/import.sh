# import.sh — `jixia import hugo` end to end. Each small Hugo site under
# tests/import/NAME/ (TOML and YAML configs, translations by suffix and by
# folder, sections, every kind of shortcode, static files, mounts, hostile
# files) is committed to a fresh repository and imported; the tree must
# then equal tests/import/NAME.expected/ and the report NAME.report. Then:
# --check changes nothing, the refusals (uncommitted changes, no git,
# site.yaml there), a second import changes nothing, a broken config's
# error, and a Docsy-style multilingual site with a git history that goes
# on through the import commit: it builds, every section URL Hugo would
# make exists, no shortcode or {# is left outside code, created dates
# survive, and jixia l10n lists the translations history says are outdated.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"
src=$here/import

# -- the golden sites --------------------------------------------------------
for s in toml-suffix yaml-dir; do
	w=$T/$s
	cp -a "$src/$s" "$w"
	mkrepo "$w"
	commit "$w" "the hugo site" "2023-01-10T10:00:00+00:00"
	(cd "$w" && "$JIXIA" import hugo >"$T/$s.out" 2>"$T/$s.err")
	check "$s: import exits 0" test $? -eq 0
	diff -ru --exclude=.git --no-dereference "$src/$s.expected" "$w" >"$T/$s.diff"
	check "$s: the converted tree is as expected" test $? -eq 0
	[ -s "$T/$s.diff" ] && cat "$T/$s.diff"
	diff -u "$src/$s.report" "$T/$s.out"
	check "$s: the report is as expected" test $? -eq 0
done
w=$T/toml-suffix
check "a symlinked page is left alone (a warning, not followed)" \
	sh -c "test -L '$w/content/evil/passwd.md' && grep -qF 'content/evil/passwd.md: warning: symbolic link is not followed' '$T/toml-suffix.err'"
check "layouts/ moved aside, static/ kept" sh -c "test -f '$w/layouts.hugo/_default/baseof.html' && ! test -e '$w/layouts' && test -f '$w/static/images/logo.png'"

# A second import (site.yaml is there now: --force) changes no content file.
commit "$w" "import" "2023-04-01T10:00:00+00:00"
(cd "$w" && "$JIXIA" import hugo --force >"$T/again.out" 2>&1)
check "a second import exits 0" test $? -eq 0
check "a second import changes nothing" sh -c "test -z \"\$(git -C '$w' status --porcelain)\""
check "a second import says so" contains "$T/again.out" "content files read, 0 changed"

# -- dry run and refusals -----------------------------------------------------
w=$T/dry
cp -a "$src/toml-suffix" "$w"
mkrepo "$w"
commit "$w" "the hugo site" "2023-01-10T10:00:00+00:00"
(cd "$w" && "$JIXIA" import hugo --check >"$T/dry.out" 2>&1)
check "--check exits 0" test $? -eq 0
check "--check changes nothing" sh -c "test -z \"\$(git -C '$w' status --porcelain --ignored)\""
check "--check reports what would be converted" contains "$T/dry.out" "shortcodes would be converted: 17"
check "--check names the leftovers too" contains "$T/dry.out" "content/posts/first.md:33: shortcode 'unknown-thing'"

echo "edited" >>"$w/content/posts/first.md"
(cd "$w" && "$JIXIA" import hugo >"$T/dirty.out" 2>"$T/dirty.err")
check "uncommitted changes: refused, exit 2" test $? -eq 2
check "uncommitted changes: named" contains "$T/dirty.err" "the working tree has uncommitted changes (content/posts/first.md)"
check "uncommitted changes: nothing written" sh -c "! test -e '$w/site.yaml' && test -d '$w/layouts'"
(cd "$w" && "$JIXIA" import hugo --force >/dev/null 2>&1)
check "--force converts anyway" sh -c "test -f '$w/site.yaml' && grep -q '^edited' '$w/content/posts/first.md'"
(cd "$w" && "$JIXIA" import hugo >/dev/null 2>"$T/again.err")
check "a site.yaml there: refused, exit 2" test $? -eq 2
check "a site.yaml there: said" contains "$T/again.err" "site.yaml exists: this is a jixia site already"

w=$T/nogit
cp -a "$src/yaml-dir" "$w"
"$JIXIA" import hugo "$w" >/dev/null 2>"$T/nogit.err"
check "outside git: refused, exit 2" test $? -eq 2
check "outside git: said why" contains "$T/nogit.err" "is not in a git repository"
check "outside git: nothing written" sh -c "! test -e '$w/site.yaml'"
"$JIXIA" import hugo "$w" --force >/dev/null 2>&1
check "outside git with --force: converted" test -f "$w/site.yaml"

# a site folder that is a committed link: refused before anything is read or written there
w=$T/linked
mkdir -p "$w/repo" "$w/outside/content/p"
printf 'title = "x"\n' >"$w/outside/hugo.toml"
printf '+++\ntitle = "a"\n+++\n' >"$w/outside/content/p/a.md"
ln -s ../outside "$w/repo/docs"
mkrepo "$w/repo"
commit "$w/repo" "a link" "2023-01-10T10:00:00+00:00"
(cd "$w/repo" && "$JIXIA" import hugo docs --force >/dev/null 2>"$T/linked.err")
check "a site folder through a committed link: exit 2" test $? -eq 2
check "a site folder through a committed link: said" contains "$T/linked.err" "is reached through the symbolic link 'docs'"
check "a site folder through a committed link: nothing written" \
	sh -c "! test -e '$w/outside/site.yaml' && head -1 '$w/outside/content/p/a.md' | grep -qx '+++'"

w=$T/broken
mkdir -p "$w/content"
printf 'title = "x"\nbaseURL = https://example.org/\n' >"$w/hugo.toml"
"$JIXIA" import hugo "$w" --force >/dev/null 2>"$T/broken.err"
check "a broken config: exit 1" test $? -eq 1
check "a broken config: path:line:col" contains "$T/broken.err" "hugo.toml:2:11: error: 'https:' is not a value"
rm -f "$w/hugo.toml"
"$JIXIA" import hugo "$w" --force >/dev/null 2>"$T/broken.err"
check "no config: exit 2" test $? -eq 2
check "no config: said" contains "$T/broken.err" "no Hugo config in"
"$JIXIA" import jekyll "$w" >/dev/null 2>"$T/broken.err"
check "another generator: usage error" test $? -eq 2
# hostile front matter: no crash, no hang, the file left as it is
printf 'title = "x"\n' >"$w/hugo.toml"
mkdir -p "$w/content/posts"
{
	printf '+++\na = '
	i=0
	while [ $i -lt 200 ]; do printf '['; i=$((i + 1)); done
	printf '\n+++\n'
} >"$w/content/posts/deep.md"
printf '+++\ntitle = "unterminated\n+++\n{{< x' >"$w/content/posts/bad.md"
# openers without closers, each looking for one: the scans have a bound per file
{
	printf -- '---\ntitle: t\n---\n'
	i=0
	while [ $i -lt 30000 ]; do printf '{{< tab x >}}{{< alert >}}\n'; i=$((i + 1)); done
} >"$w/content/posts/many.md"
cp "$w/content/posts/deep.md" "$T/deep.md"
"$JIXIA" import hugo "$w" --force >"$T/hostile.out" 2>"$T/hostile.err"
check "hostile front matter: exit 0" test $? -eq 0
check "hostile front matter: left as it is" cmp -s "$T/deep.md" "$w/content/posts/deep.md"
check "hostile front matter: the nesting bound" contains "$T/hostile.err" "nesting deeper than 32 levels"
check "hostile front matter: listed" contains "$T/hostile.out" "content/posts/bad.md:1: TOML front matter that does not parse"
check "many unclosed shortcodes: the bound, then the rest left as it is" \
	contains "$T/hostile.out" "content/posts/many.md:1: too many shortcodes to convert in one file: the rest of it is left as it is"

# -- a Docsy-style multilingual site through its history ----------------------
d=$T/docsy
mkrepo "$d"
mkdir -p "$d/content/en/docs/getting-started" "$d/content/en/docs/concepts" "$d/content/en/blog" \
	"$d/content/zh-cn/docs/getting-started" "$d/content/zh-cn/docs/concepts" "$d/layouts/partials" \
	"$d/static/images"
cat >"$d/hugo.toml" <<'EOF'
baseURL = "https://docs.example.org/"
title = "Example Project"
defaultContentLanguage = "en"
[languages.en]
languageName = "English"
weight = 1
contentDir = "content/en"
[languages.zh-cn]
languageName = "中文"
weight = 2
contentDir = "content/zh-cn"
[params]
github_repo = "https://github.com/example/docs"
EOF
printf '<div>{{ .Content }}</div>\n' >"$d/layouts/partials/hooks.html"
printf 'GIF89a\001\000\001\000\000\000\000;' >"$d/static/images/dot.gif"
cat >"$d/content/en/_index.md" <<'EOF'
+++
title = "Example Project"
+++
Read the [docs]({{< relref "/docs" >}}).
EOF
cat >"$d/content/en/docs/_index.md" <<'EOF'
+++
title = "Documentation"
linkTitle = "Docs"
weight = 20
+++
## Overview {#overview}

{{% alert title="Note" %}}
Start with [getting started]({{< ref "getting-started" >}}).
{{% /alert %}}
EOF
cat >"$d/content/en/docs/getting-started/_index.md" <<'EOF'
---
title: Getting started
weight: 1
---
First steps.
EOF
cat >"$d/content/en/docs/getting-started/install.md" <<'EOF'
---
title: Install
weight: 2
---
## Packages {#packages}

{{< tabpane >}}
{{< tab header="Debian" lang="sh" >}}
apt-get install example
{{< /tab >}}
{{< /tabpane >}}

![a dot](/images/dot.gif)
EOF
cat >"$d/content/en/docs/concepts/_index.md" <<'EOF'
---
title: Concepts
weight: 2
---
What it is.
EOF
cat >"$d/content/en/docs/concepts/overview.md" <<'EOF'
---
title: Overview
weight: 1
---
## Spans {#spans}

See [packages](../getting-started/install.md#packages).
EOF
cat >"$d/content/en/blog/_index.md" <<'EOF'
---
title: Blog
---
EOF
cat >"$d/content/en/blog/hello.md" <<'EOF'
+++
title = "Hello"
date = 2023-01-05T08:00:00Z
+++
{{< youtube abcdEFGH123 >}}
EOF
commit "$d" "docs in english" "2023-01-10T10:00:00+00:00"
c1=$(git -C "$d" rev-parse HEAD)
for p in docs/_index.md docs/getting-started/_index.md docs/getting-started/install.md docs/concepts/_index.md docs/concepts/overview.md; do
	sed "s/^title = \"\\(.*\\)\"/title = \"\\1 (中文)\"\\ndefault_lang_commit = \"$c1\"/; s/^title: \\(.*\\)/title: \\1 (中文)\\ndefault_lang_commit: $c1/" \
		"$d/content/en/$p" >"$d/content/zh-cn/$p"
done
commit "$d" "zh-cn translations" "2023-02-01T10:00:00+00:00"
printf '\nAlso from source.\n' >>"$d/content/en/docs/getting-started/install.md"
commit "$d" "install from source" "2023-03-01T10:00:00+00:00"
(cd "$d" && "$JIXIA" import hugo >"$T/docsy.out" 2>&1)
check "docsy: import exits 0" test $? -eq 0
check "docsy: nothing left" contains "$T/docsy.out" "left as they are: 0"
check "docsy: the translation field is the site's own" contains "$d/site.yaml" "translations: {layout: dir, field: default_lang_commit}"
commit "$d" "import from hugo" "2023-04-01T10:00:00+00:00"
(cd "$d" && "$JIXIA" import hugo --repin >"$T/repin.out" 2>&1)
check "docsy: --repin exits 0" test $? -eq 0
check "docsy: --repin moves the up-to-date translations to the import commit" \
	contains "$T/repin.out" "translations pinned: 4 up to date (to the import commit), 1 outdated"
commit "$d" "pin translations past the import" "2023-04-01T10:05:00+00:00"
(cd "$d" && "$JIXIA" l10n --now 2023-05-01 >"$T/l10n.out" 2>&1)
check "docsy: l10n lists the translation whose original changed" \
	grep -q '^zh-cn outdated content/zh-cn/docs/getting-started/install.md: content/en/docs/getting-started/install.md changed in 2 commits' "$T/l10n.out"
check "docsy: l10n lists no other outdated translation" test "$(grep -c ' outdated content/' "$T/l10n.out")" -eq 1

# the converted front matter reads back as written (a title with ': ', '#', quotes, '\\' and a BEL)
w=$T/toml-suffix
"$JIXIA" build "$w" -o "$T/ts-out" >"$T/ts-build.out" 2>&1
check "toml-suffix: builds" test $? -eq 0 || cat "$T/ts-build.out"
check "toml-suffix: the TOML title reads back through YAML as written" \
	contains "$T/ts-out/posts/first/index.html" '<h1>First post: hello # &quot;quoted&quot; \ back'
SOURCE_DATE_EPOCH=1700000000 "$JIXIA" build "$d" -o "$T/docsy-out" >"$T/docsy-build.out" 2>&1
check "docsy: jixia build succeeds" test $? -eq 0 || cat "$T/docsy-build.out"
check "docsy: no link leads nowhere" sh -c "! grep -q 'leads nowhere\\|no heading with id' '$T/docsy-build.out'"
for u in docs docs/getting-started docs/getting-started/install docs/concepts docs/concepts/overview blog blog/hello \
	zh-cn/docs zh-cn/docs/getting-started zh-cn/docs/concepts zh-cn/docs/concepts/overview; do
	check "docsy: /$u/ exists" test -f "$T/docsy-out/$u/index.html"
done
left=$(python3 -c '
import re, sys
for p in sys.argv[1:]:
    t = re.sub(r"<pre.*?</pre>|<code.*?</code>", "", open(p, encoding="utf-8").read(), flags=re.S)
    if re.search(r"\{\{[<%]|\{#", t):
        print(p)
' $(find "$T/docsy-out" -name '*.html'))
check "docsy: no {{< {{% or {# outside code in the HTML" test -z "$left"
[ -n "$left" ] && echo "$left"
check "docsy: created dates survive the import" \
	contains "$T/docsy-out/docs/getting-started/install/index.html" 'datetime="2023-01-10'

finish
