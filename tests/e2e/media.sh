# media.sh — files beside the Markdown: where bundles and loose files are
# published, links and url fields resolved to them, image sizes and lazy
# loading, the default theme's covers and avatars, each refused file with
# its diagnostic (and the previous output untouched), symlinks, one copy per
# file, and the same bytes from --ref and at any -j.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

# img KIND:PATH:W:H[:ORIENTATION]... : image files with a valid header and
# nothing else (jixia reads sizes from headers, never decodes pixels).
img() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
def png(w, h):
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IEND', b'')
def jpeg(w, h, orientation):  # APP1 Exif (IFD0: Orientation), then SOF0
    tiff = b'MM\x00\x2a' + struct.pack('>IH', 8, 1) + struct.pack('>HHIHH', 0x0112, 3, 1, orientation, 0) + b'\0\0\0\0'
    app1 = b'Exif\0\0' + tiff
    sof = struct.pack('>BHHB', 8, h, w, 3) + b'\x01\x11\x00\x02\x11\x01\x03\x11\x01'
    return (b'\xff\xd8\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1 +
            b'\xff\xc0' + struct.pack('>H', len(sof) + 2) + sof + b'\xff\xd9')
def gif(w, h):
    return b'GIF89a' + struct.pack('<HH', w, h) + b'\0\0\0;'
def webp(w, h):  # VP8X: canvas size minus one, 24-bit little-endian
    vp8x = b'VP8X' + struct.pack('<I', 10) + b'\0\0\0\0' + (w - 1).to_bytes(3, 'little') + (h - 1).to_bytes(3, 'little')
    return b'RIFF' + struct.pack('<I', 4 + len(vp8x)) + b'WEBP' + vp8x
for arg in sys.argv[1:]:
    kind, path, *n = arg.split(':')
    open(path, 'wb').write(globals()[kind](*map(int, n)))
PY
}

# The site: an event bundle with a translation, a cover, photos (one with a
# space and Chinese in its name) and a dotfile; a talk bundle with its own
# slug that links the event's photo, another bundle's diagram, the
# repository's assets/ and a loose file; a person with a loose avatar; a
# draft bundle; a FAQ page whose image is found by its URL, not beside it.
base=$T/base
c=$base/content
mkdir -p "$c/events/2024-hz/photos" "$c/events/2023-old" "$c/talks/vacuum" "$c/talks/other" \
	"$c/people" "$c/faq" "$base/assets"
cat >"$base/site.yaml" <<'Y'
title: Media Test
base_url: https://example.org/sub/
languages:
  - {code: zh, name: 中文, default: true}
  - {code: en, name: English}
Y
cat >"$c/events/2024-hz/index.md" <<'Y'
---
title: 杭州见面会
date: 2024-05-18
kind: meetup
cover: cover.png
---
![第一张](photos/1.png)

![合影](<photos/合影 1.png>)
Y
cat >"$c/events/2024-hz/index.en.md" <<'Y'
---
title: Hangzhou meetup
date: 2024-05-18
kind: meetup
cover: cover.png
---
![first](photos/1.png)
Y
cat >"$c/events/2023-old/index.md" <<'Y'
---
title: 旧活动
date: 2023-01-01
kind: tea
draft: true
---
Y
cat >"$c/talks/vacuum/index.md" <<'Y'
---
title: 深入 VACUUM
date: 2024-05-18
speakers: [me]
event: 2024-hz
slug: deep-dive
slides: slides.pdf
---
![照片](../../events/2024-hz/photos/1.png)

![旋转](rotated.jpg) ![动图](anim.gif) ![webp](pic.webp) ![矢量](drawing.svg)

![图](../other/diagram.png) ![logo](/assets/logo.png)

[幻灯片](slides.pdf) [第二页](slides.pdf#page=2) [头像](../../people/me.png)
Y
cat >"$c/talks/other/index.md" <<'Y'
---
title: 另一个讲座
date: 2024-05-19
speakers: [me]
---
正文
Y
cat >"$c/people/me.md" <<'Y'
---
name: 张三
avatar: me.png
links: [https://github.com/me, cv.pdf]
---
简介
Y
cat >"$c/faq/q.md" <<'Y'
---
title: 问题
---
见 ![我](../../people/me.png)
Y
img png:"$c/events/2024-hz/cover.png":640:360 png:"$c/events/2024-hz/photos/1.png":4:3 \
	png:"$c/events/2024-hz/photos/合影 1.png":8:6 png:"$c/events/2023-old/old.png":1:1 \
	jpeg:"$c/talks/vacuum/rotated.jpg":40:30:6 gif:"$c/talks/vacuum/anim.gif":5:7 \
	webp:"$c/talks/vacuum/pic.webp":9:11 png:"$c/talks/other/diagram.png":20:10 \
	png:"$c/people/me.png":64:64 png:"$base/assets/logo.png":32:16
printf '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="1" height="1"/></svg>\n' \
	>"$c/talks/vacuum/drawing.svg"
printf '%%PDF-1.4 slides\n' >"$c/talks/vacuum/slides.pdf"
printf '%%PDF-1.4 cv\n' >"$c/people/cv.pdf"
: >"$c/events/2024-hz/.gitkeep"

# The same site as a git repository, for --ref.
repo=$T/repo
cp -r "$base" "$repo"
mkrepo "$repo"
commit "$repo" "media" "2024-05-01T10:00:00Z"

"$JIXIA" build "$repo" -o "$T/out" 2>"$T/err"
check "site with media builds (exit 0)" test $? -eq 0
check "no warning for the good site" sh -c "! grep -q 'warning\|error' '$T/err'"
o=$T/out

# Where each file goes.
check "bundle file beside its page" test -f "$o/events/2024-hz/cover.png"
check "bundle subfolder kept" test -f "$o/events/2024-hz/photos/1.png"
check "bundle file under the slug" test -f "$o/talks/deep-dive/slides.pdf"
check "nothing under the folder name when a slug is set" test ! -e "$o/talks/vacuum"
check "loose file at its path under content/" test -f "$o/people/me.png"
check "dotfile not published" test ! -e "$o/events/2024-hz/.gitkeep"
check "draft bundle's files not published" test ! -e "$o/events/2023-old"
check "no copy for the translation" test ! -e "$o/en/events/2024-hz/photos" -a ! -e "$o/en/events/2024-hz/cover.png"
check "file copied byte for byte" cmp "$c/talks/vacuum/rotated.jpg" "$o/talks/deep-dive/rotated.jpg"
check "a file used by three pages is written once" test "$(find "$o" -name 1.png | wc -l)" -eq 1

# Links and images in the Markdown, with the base path and each image's size.
e=$o/events/2024-hz/index.html
en=$o/en/events/2024-hz/index.html
t=$o/talks/deep-dive/index.html
check "first body image is not lazy" contains "$t" \
	'<img src="/sub/events/2024-hz/photos/1.png" width="4" height="3" alt="照片" />'
check "JPEG with EXIF orientation 6: sides swapped, lazy" contains "$t" \
	'<img src="/sub/talks/deep-dive/rotated.jpg" width="30" height="40" loading="lazy" alt="旋转" />'
check "GIF size" contains "$t" '<img src="/sub/talks/deep-dive/anim.gif" width="5" height="7" loading="lazy" alt="动图" />'
check "WebP size" contains "$t" '<img src="/sub/talks/deep-dive/pic.webp" width="9" height="11" loading="lazy" alt="webp" />'
check "SVG size" contains "$t" '<img src="/sub/talks/deep-dive/drawing.svg" width="120" height="80" loading="lazy" alt="矢量" />'
check "other bundle's file by ../" contains "$t" '<img src="/sub/talks/other/diagram.png" width="20" height="10" loading="lazy" alt="图" />'
check "repository assets/ by site path" contains "$t" '<img src="/sub/assets/logo.png" width="32" height="16" loading="lazy" alt="logo" />'
check "link to a bundle file" contains "$t" '<a href="/sub/talks/deep-dive/slides.pdf">幻灯片</a>'
check "link keeps its #fragment" contains "$t" '<a href="/sub/talks/deep-dive/slides.pdf#page=2">第二页</a>'
check "link to a loose file by ../../" contains "$t" '<a href="/sub/people/me.png">头像</a>'
check "slides field resolved beside the Markdown" contains "$t" 'href="/sub/talks/deep-dive/slides.pdf"'
check "image found by the page's URL" contains "$o/faq/q/index.html" \
	'<img src="/sub/people/me.png" width="64" height="64" alt="我" />'
check "with a cover above, every body image is lazy" contains "$e" \
	'<img src="/sub/events/2024-hz/photos/1.png" width="4" height="3" loading="lazy" alt="第一张" />'
check "non-ASCII and space percent-encoded" contains "$e" \
	'<img src="/sub/events/2024-hz/photos/%E5%90%88%E5%BD%B1%201.png" width="8" height="6" loading="lazy" alt="合影" />'
check "translation uses the same file" contains "$en" \
	'<img src="/sub/events/2024-hz/photos/1.png" width="4" height="3" loading="lazy" alt="first" />'

# The default theme: cover, cards, avatar, og:image, JSON-LD.
check "event page cover" contains "$e" \
	'<img class="page-cover" src="/sub/events/2024-hz/cover.png" alt="" width="640" height="360">'
check "translation's cover is the same file" contains "$en" 'class="page-cover" src="/sub/events/2024-hz/cover.png"'
check "events list card cover" contains "$o/events/index.html" \
	'<img class="card-cover" src="/sub/events/2024-hz/cover.png" alt="" width="640" height="360" loading="lazy">'
check "person card avatar" contains "$o/people/index.html" '<img class="card-avatar" src="/sub/people/me.png"'
check "og:image absolute" contains "$e" '<meta property="og:image" content="https://example.org/sub/events/2024-hz/cover.png">'
check "og:image:width" contains "$e" '<meta property="og:image:width" content="640">'
check "og:image:height" contains "$e" '<meta property="og:image:height" content="360">'
check "event JSON-LD image" contains "$e" '"image":"https://example.org/sub/events/2024-hz/cover.png"'
check "person JSON-LD image" contains "$o/people/me/index.html" '"image":"https://example.org/sub/people/me.png"'
check "person link to a file resolved" contains "$o/people/me/index.html" 'href="/sub/people/cv.pdf"'
check "external person link left as written" contains "$o/people/me/index.html" 'href="https://github.com/me"'

# The same bytes from the commit and at any -j.
"$JIXIA" build "$repo" --ref HEAD -o "$T/ref" 2>/dev/null
check "--ref HEAD == worktree" diff -r "$o" "$T/ref"
check "--ref HEAD binary file identical" cmp "$o/talks/deep-dive/rotated.jpg" "$T/ref/talks/deep-dive/rotated.jpg"
"$JIXIA" build "$repo" -j 1 -o "$T/j1" 2>/dev/null
"$JIXIA" build "$repo" -j 4 -o "$T/j4" 2>/dev/null
check "-j1 and -j4 identical" diff -r "$T/j1" "$T/j4"

# --drafts publishes the draft bundle's files.
"$JIXIA" build "$base" --drafts -o "$T/drafts" 2>/dev/null
check "--drafts publishes a draft bundle's files" test -f "$T/drafts/events/2023-old/old.png"

# variant NAME : a fresh copy of the site in $v, to break one thing.
variant() {
	v=$T/v-$1
	cp -r "$base" "$v"
}

# A missing alt is a warning (an error with --strict).
variant alt
printf '\n文字 ![](photos/1.png)\n' >>"$v/content/events/2024-hz/index.md"
"$JIXIA" build "$v" -o "$T/alt" 2>"$T/err"
check "missing alt: build exits 0" test $? -eq 0
check "missing alt: warning at line:col" grep -qxF \
	"content/events/2024-hz/index.md:11:4: warning: image 'photos/1.png' has no description; write what it shows between the brackets, ![like this](photos/1.png), for readers who cannot see it" "$T/err"
"$JIXIA" build "$v" --strict -o "$T/alt" 2>/dev/null
check "missing alt with --strict exits 1" test $? -eq 1

# notfound NAME WANT : both check and build exit 1 with the line WANT.
notfound() {
	for cmd in check build; do
		if [ $cmd = check ]; then "$JIXIA" check "$v" 2>"$T/err"; else "$JIXIA" build "$v" -o "$T/nf" 2>"$T/err"; fi
		rc=$?
		if [ $rc -ne 1 ]; then
			fail "$1 ($cmd)" "exit $rc, want 1; stderr: $(cat "$T/err")"
		elif ! grep -qxF -- "$2" "$T/err"; then
			fail "$1 ($cmd)" "want '$2', got: $(cat "$T/err")"
		else
			ok "$1 ($cmd)"
		fi
	done
}
variant img
printf '\n第二段落 ![x](nope.png)\n' >>"$v/content/talks/vacuum/index.md"
notfound "missing image" \
	"content/talks/vacuum/index.md:17:6: error: image 'nope.png' leads nowhere: there is no such file beside the Markdown or on the site"
variant link
printf '\n[讲义](notes.pdf)\n' >>"$v/content/talks/vacuum/index.md"
notfound "missing linked file" \
	"content/talks/vacuum/index.md:17:1: error: link 'notes.pdf' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address"
variant avatar
sed -i 's/^avatar: me.png/avatar: you.png/' "$v/content/people/me.md"
notfound "missing avatar" \
	"content/people/me.md:3:9: error: 'avatar': 'you.png' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address"
variant cover
sed -i 's/^cover: cover.png/cover: nocover.png/' "$v/content/events/2024-hz/index.md"
notfound "missing cover" \
	"content/events/2024-hz/index.md:5:8: error: 'cover': 'nocover.png' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address"
variant links
sed -i 's/, cv.pdf]/, nocv.pdf]/' "$v/content/people/me.md"
notfound "missing file in a url list" \
	"content/people/me.md:4:32: error: 'links': 'nocv.pdf' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address"
variant asset
printf '\n![logo](/assets/nope.png)\n' >>"$v/content/talks/vacuum/index.md"
notfound "missing site-path image" \
	"content/talks/vacuum/index.md:17:1: error: image '/assets/nope.png' leads nowhere: there is no such file on the site"
variant draftlink
printf '\n![旧](../2023-old/old.png)\n' >>"$v/content/events/2024-hz/index.md"
notfound "link to a draft bundle's file" \
	"content/events/2024-hz/index.md:11:1: error: image '../2023-old/old.png' is not published: it belongs to a draft"
variant dotlink
printf '\n[空](.gitkeep)\n' >>"$v/content/events/2024-hz/index.md"
"$JIXIA" check "$v" 2>"$T/err"
check "link to a dotfile: exit 1" test $? -eq 1
check "link to a dotfile: error at line:col" grep -q "^content/events/2024-hz/index.md:11:1: error: link '.gitkeep' " "$T/err"
# Dotfiles are not content (the source reader leaves them out), so the link leads nowhere.
check "link to a dotfile: leads nowhere" grep -qxF "content/events/2024-hz/index.md:11:1: error: link '.gitkeep' leads nowhere: there is no such file beside the Markdown, and no page or file of the site at that address" "$T/err"

# Refused files: exit 1, the diagnostic at the file, the output of the
# previous (good) build untouched.
"$JIXIA" build "$base" -o "$T/pub" 2>/dev/null
cp -r "$T/pub" "$T/pub0"
# refused NAME WANT : building $v into $T/pub fails with the line WANT.
refused() {
	"$JIXIA" build "$v" -o "$T/pub" 2>"$T/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$1" "exit $rc, want 1; stderr: $(cat "$T/err")"
	elif ! grep -qxF -- "$2" "$T/err"; then
		fail "$1" "want '$2', got: $(cat "$T/err")"
	elif ! diff -r "$T/pub0" "$T/pub" >/dev/null; then
		fail "$1" "the previous output changed"
	else
		ok "$1"
	fi
}
variant indexhtml
printf '<p>x</p>\n' >"$v/content/events/2024-hz/index.html"
refused "bundle file named index.html" \
	"content/events/2024-hz/index.html: error: a file named index.html would be published as a page at events/2024-hz/index.html; rename it"
variant ics
printf 'x\n' >"$v/content/events/2024-hz.ics"
refused "file at an event's calendar" \
	"content/events/2024-hz.ics: error: would be published at events/2024-hz.ics, which a page, list, feed or calendar of the site already uses (letter case aside); rename it"
variant pagefolder
printf 'x\n' >"$v/content/talks/deep-dive"
refused "file at a page's folder" \
	"content/talks/deep-dive: error: would be published at talks/deep-dive, which a page, list, feed or calendar of the site already uses (letter case aside); rename it"
variant twins
mkdir -p "$v/content/talks/deep-dive"
printf 'x\n' >"$v/content/talks/deep-dive/slides.pdf"
refused "two files with one output" \
	"content/talks/vacuum/slides.pdf: error: would be published at talks/deep-dive/slides.pdf, like content/talks/deep-dive/slides.pdf; rename one of them"
variant sitemap
printf 'x\n' >"$v/content/sitemap.xml"
refused "file at sitemap.xml" \
	"content/sitemap.xml: error: would be published at sitemap.xml, where jixia writes its own files (search, assets, feeds, sitemap, taxonomies, languages); move it into a type's folder"
variant search
mkdir -p "$v/content/search"
printf 'x\n' >"$v/content/search/x.txt"
refused "file under search/" \
	"content/search/x.txt: error: would be published at search/x.txt, where jixia writes its own files (search, assets, feeds, sitemap, taxonomies, languages); move it into a type's folder"
variant html
printf '<p>x</p>\n' >"$v/content/talks/vacuum/x.html"
refused "HTML file" \
	"content/talks/vacuum/x.html: error: '.html' files are not published from content/: only images, documents, slides, sheets, text, code, archives, audio and video (HTML, XML or an unknown kind could run scripts on the portal's own address); zip it, or link it from elsewhere"
for kind in feed.rss data.xml notes; do
	variant kind
	printf '<x/>\n' >"$v/content/talks/vacuum/$kind"
	"$JIXIA" check "$v" 2>"$T/err"
	check "$kind is not published: exit 1" test $? -eq 1
	check "$kind is not published: error at the file" grep -q "^content/talks/vacuum/$kind: error: .* files are not published from content/" "$T/err"
done
svg='<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">%s</svg>\n'
for sc in '<script|<script>alert(1)</script>' 'an on...= event handler|<rect width="1" onload="alert(1)"/>' \
	'javascript:|<a href="javascript:alert(1)"><rect/></a>' '<foreignobject|<foreignObject/>' '&#|<text>&#106;</text>'; do
	variant svg
	# shellcheck disable=SC2059
	printf "$svg" "${sc#*|}" >"$v/content/talks/vacuum/drawing.svg"
	refused "SVG with ${sc%%|*}" \
		"content/talks/vacuum/drawing.svg: error: this SVG contains ${sc%%|*}, which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
done
variant lfs
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' \
	>"$v/content/talks/vacuum/slides.pdf"
refused "Git LFS pointer" \
	"content/talks/vacuum/slides.pdf:1:1: error: this is a Git LFS pointer, not the file; fetch the files (git lfs pull) before building"
variant limit
printf 'limits: {media_bytes: 1024}\n' >>"$v/site.yaml"
head -c 1024 /dev/zero >"$v/content/talks/vacuum/slides.pdf"
"$JIXIA" build "$v" -o "$T/limit" 2>/dev/null
check "file at the media_bytes limit is published" test -s "$T/limit/talks/deep-dive/slides.pdf"
head -c 1025 /dev/zero >"$v/content/talks/vacuum/slides.pdf"
refused "file over limits.media_bytes" \
	"content/talks/vacuum/slides.pdf: error: file is 2 KiB, over the 1 KiB limit for files beside the Markdown (limits.media_bytes in site.yaml); link a copy hosted elsewhere instead"

# An SVG with a script is published when the Markdown is trusted with raw HTML.
variant unsafe
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>\n' \
	>"$v/content/talks/vacuum/drawing.svg"
printf 'markdown: {unsafe: true}\n' >>"$v/site.yaml"
"$JIXIA" build "$v" -o "$T/unsafe" 2>/dev/null
check "SVG with a script allowed by markdown.unsafe" cmp "$v/content/talks/vacuum/drawing.svg" "$T/unsafe/talks/deep-dive/drawing.svg"
# What would make the browser see other markup than the check read.
variant svgdtd
printf '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n' \
	>"$v/content/talks/vacuum/drawing.svg"
refused "SVG with an internal DTD subset" \
	"content/talks/vacuum/drawing.svg: error: this SVG contains an internal DTD subset (<!DOCTYPE ... [), which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
variant svgxsl
printf '<?xml-stylesheet type="text/xsl" href="b.svg"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n' \
	>"$v/content/talks/vacuum/drawing.svg"
refused "SVG with an XSLT stylesheet" \
	"content/talks/vacuum/drawing.svg: error: this SVG contains <?xml-stylesheet, which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
variant svgenc
printf '<?xml version="1.0" encoding="UTF-7"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n' \
	>"$v/content/talks/vacuum/drawing.svg"
refused "SVG in another encoding" \
	"content/talks/vacuum/drawing.svg: error: this SVG contains an encoding other than UTF-8, which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
variant svg16
python3 -c 'import sys; sys.stdout.buffer.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script></svg>".encode("utf-16"))' \
	>"$v/content/talks/vacuum/drawing.svg"
refused "SVG in UTF-16" \
	"content/talks/vacuum/drawing.svg: error: this SVG contains NUL bytes (UTF-16?), which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
variant svgok
printf '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Encoding of a diagram</title></svg>\n' \
	>"$v/content/talks/vacuum/drawing.svg"
"$JIXIA" check "$v" 2>/dev/null
check "a plain SVG with a declaration, a public DOCTYPE and a title is published" test $? -eq 0

# A title or alt text that spells the placeholder stays as written.
variant spoof
printf '\n[t](cover.png "jixia-link:0") ![jixia-link:1](cover.png)\n' >>"$v/content/events/2024-hz/index.md"
"$JIXIA" build "$v" -o "$T/spoof" 2>/dev/null
check "a title that spells the placeholder stays" contains "$T/spoof/events/2024-hz/index.html" 'title="jixia-link:0"'
check "an alt text that spells the placeholder stays" contains "$T/spoof/events/2024-hz/index.html" 'alt="jixia-link:1"'

# A protocol-relative cover is made absolute with base_url's scheme.
variant cdn
sed -i 's|^cover: .*|cover: //cdn.example.net/c.png|' "$v/content/events/2024-hz/index.md"
"$JIXIA" build "$v" -o "$T/cdn" 2>/dev/null
check "protocol-relative cover: og:image" contains "$T/cdn/events/2024-hz/index.html" '<meta property="og:image" content="https://cdn.example.net/c.png">'
check "protocol-relative cover: JSON-LD" contains "$T/cdn/events/2024-hz/index.html" '"image":"https://cdn.example.net/c.png"'

# The check looks through letter case in the name and namespace prefixes.
variant svgcase
printf "$svg" '<script>alert(1)</script>' >"$v/content/talks/vacuum/evil.SVG"
refused "SVG named .SVG with a script" \
	"content/talks/vacuum/evil.SVG: error: this SVG contains <script, which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
variant svgprefix
printf '<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="10" height="10"><svg:script>alert(1)</svg:script></svg:svg>\n' \
	>"$v/content/talks/vacuum/drawing.svg"
refused "SVG with <svg:script>" \
	"content/talks/vacuum/drawing.svg: error: this SVG contains :script, which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"
variant svganim
printf "$svg" '<set attributeName = "onmouseover" to="alert(1)"/>' >"$v/content/talks/vacuum/drawing.svg"
refused "SVG with an animated event handler" \
	"content/talks/vacuum/drawing.svg: error: this SVG contains an animated event handler (attributeName=\"on...\"), which could run as a script on the portal's own address when the file is opened; export it as a plain drawing"

# Names that differ only in letter case clash (case-insensitive disks).
variant casetwins
printf 'x\n' >"$v/content/talks/vacuum/SLIDES.pdf"
refused "two files differing in letter case" \
	"content/talks/vacuum/slides.pdf: error: would be published at talks/deep-dive/slides.pdf, which differs from talks/deep-dive/SLIDES.pdf (content/talks/vacuum/SLIDES.pdf) only in letter case or Unicode form: on a case-insensitive disk one replaces the other; rename one of them"
variant nfd
printf 'x\n' >"$v/content/talks/vacuum/$(printf 'caf\303\251').txt"
printf 'x\n' >"$v/content/talks/vacuum/$(printf 'cafe\314\201').txt"
"$JIXIA" check "$v" 2>"$T/err"
check "two names, one composed and one not: exit 1" test $? -eq 1
check "two names, one composed and one not: reported" grep -q "only in letter case or Unicode form" "$T/err"
variant filefolder
printf -- '---\ntitle: A\ndate: 2024-01-01\nkind: tea\nslug: b\n---\n' >"$v/content/events/2024-hz/index.md"
mkdir -p "$v/content/events/2023-a" "$v/content/events/b/c"
printf -- '---\ntitle: A\ndate: 2023-01-01\nkind: tea\nslug: a2\n---\n' >"$v/content/events/2023-a/index.md"
printf 'x\n' >"$v/content/events/2024-hz/c.txt"
cp "$v/content/events/2024-hz/c.txt" "$v/content/events/b/c.txt"
mv "$v/content/events/b/c.txt" "$v/content/events/b/c/d.txt"
mv "$v/content/events/2024-hz/c.txt" "$v/content/events/2024-hz/c"
"$JIXIA" check "$v" 2>"$T/err"
check "a file where another needs a folder: check exit 1" test $? -eq 1
check "a file where another needs a folder: reported at the file" \
	grep -q "^content/events/2024-hz/c: error: would be published at events/b/c, where content/events/b/c/d.txt needs a folder" "$T/err"
variant casefolder
mkdir -p "$v/content/talks/Deep-Dive"
printf 'x\n' >"$v/content/talks/Deep-Dive/notes.txt"
"$JIXIA" check "$v" 2>/dev/null
check "a folder that differs from a page's only in letter case: exit 0 (no clash of files)" test $? -eq 0
printf 'x\n' >"$v/content/talks/Deep-Dive/index.HTML"
"$JIXIA" check "$v" 2>"$T/err"
check "index.HTML at a page's folder in other letter case is refused" \
	grep -qxF "content/talks/Deep-Dive/index.HTML: error: would be published at talks/Deep-Dive/index.HTML, which a page, list, feed or calendar of the site already uses (letter case aside); rename it" "$T/err"

# A bundle in a translation only is the translation rule's error alone
# (its file is not also taken for a clash with the language folder).
variant enonly
mkdir -p "$v/content/events/2023-en"
printf -- '---\ntitle: English only\ndate: 2023-01-01\nkind: tea\n---\n![A cup](cup.png)\n' >"$v/content/events/2023-en/index.en.md"
cp "$v/content/events/2024-hz/cover.png" "$v/content/events/2023-en/cup.png"
"$JIXIA" check "$v" 2>"$T/err"
check "a bundle with only a translation: exit 1" test $? -eq 1
check "a bundle with only a translation: the translation error, and only it" \
	test "$(grep ': error: ' "$T/err")" = "content/events/2023-en/index.en.md: error: this translates content/events/2023-en/index.md, which does not exist"

# A symlink in a bundle is reported and never followed, from the worktree
# and from a commit.
variant symlink
ln -s /etc/passwd "$v/content/events/2024-hz/photo.png"
mkrepo "$v"
commit "$v" "symlink" "2024-05-01T10:00:00Z"
for how in worktree ref; do
	if [ $how = ref ]; then set -- --ref HEAD; else set --; fi
	"$JIXIA" build "$v" "$@" -o "$T/sym-$how" 2>"$T/err"
	check "symlink ($how): build exits 0" test $? -eq 0
	check "symlink ($how): reported" grep -qxF "content/events/2024-hz/photo.png: warning: symbolic link is not followed" "$T/err"
	check "symlink ($how): not published" test -z "$(find "$T/sym-$how" -name photo.png)"
done

# With one folder per language, a translation uses the original's files:
# its own folder first, then the same path under the default language's.
d=$T/dirlayout
mkdir -p "$d/content/zh/events/hz" "$d/content/en/events/hz"
printf 'title: T\nbase_url: https://example.org/\nlanguages:\n  - {code: zh, name: 中文, default: true}\n  - {code: en, name: English}\ntranslations: {layout: dir}\n' >"$d/site.yaml"
printf -- '---\ntitle: 杭州\ndate: 2024-01-01\nkind: tea\ncover: a.png\n---\n![图](a.png)\n' >"$d/content/zh/events/hz/index.md"
printf -- '---\ntitle: HZ\ndate: 2024-01-01\nkind: tea\ncover: a.png\n---\n![pic](a.png) ![own](b.png)\n' >"$d/content/en/events/hz/index.md"
cp "$base/content/events/2024-hz/cover.png" "$d/content/zh/events/hz/a.png"
cp "$base/content/events/2024-hz/cover.png" "$d/content/en/events/hz/b.png"
"$JIXIA" build "$d" -o "$T/dirlayout-out" 2>"$T/err"
check "dir layout: builds" test $? -eq 0
check "dir layout: the translation shows the original's file" contains "$T/dirlayout-out/en/events/hz/index.html" '<img src="/events/hz/a.png"'
check "dir layout: and its own file under its prefix" contains "$T/dirlayout-out/en/events/hz/index.html" '<img src="/en/events/hz/b.png"'
check "dir layout: the cover field too" contains "$T/dirlayout-out/en/events/hz/index.html" '<img class="page-cover" src="/events/hz/a.png"'

finish
