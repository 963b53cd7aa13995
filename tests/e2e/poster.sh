# poster.sh — the PNG pictures (cards.c, poster.c): each year's poster of
# /contributors/YEAR/ in both languages from a history the test builds, and
# with social_cards: true a card beside each page without a raster cover.
# Checks each PNG's signature, dimensions (IHDR) and size bounds, og:image
# and twitter:image on the pages, the download link, the same bytes twice
# and at -j1 and -j2, a card from the cache the same bytes as one drawn
# (a broken cache file ignored, an old unused one removed), a title of 20,000 hostile characters
# drawn in bounded time, every build exiting 0 though pango's font threads
# end late (a shim delays them) and in ten cold builds at -j3, pango and
# cairo not linked (loaded to draw: a fake one fails the build with the
# function it lacks), no cards by default, and `social_cards: maybe` an
# error at its line:col.
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib.sh"

site=$T/site
mkrepo "$site"
page() { # page PATH FRONT-MATTER-LINES...
	f=$site/content/$1
	shift
	mkdir -p "$(dirname "$f")"
	{ echo ---; for l in "$@"; do echo "$l"; done; echo ---; echo "Body."; } >"$f"
}
cat >"$site/site.yaml" <<'Y'
title: 海报社区
base_url: https://example.org/
languages:
  - {code: zh, name: 中文, default: true, title: 海报社区}
  - {code: en, name: English, title: Poster Community}
social_cards: true
person_posters: true
Y
page people/ada.md 'name: Ada Lovelace' 'avatar: ada.svg'
printf '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n' >"$site/content/people/ada.svg"
page people/li.md 'name: 李雷'
as 'Ada Lovelace' ada@example.org 2024-03-10T10:00:00Z 'people'
page talks/2024-pg.md 'title: 分区表：从入门到精通，以及在十亿行数据上的实践经验' 'date: 2024-06-01' \
	'speakers: [ada, li]'
page talks/2024-pg.en.md 'title: Partitioning at scale' 'date: 2024-06-01' 'speakers: [ada]'
as 'Li Lei' li@example.org 2024-06-02T10:00:00Z 'a talk'
page events/2025-03-meetup/index.md 'title: 三月聚会' 'date: 2025-03-20' 'kind: meetup' 'city: 杭州' \
	'cover: cover.jpg'
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\300\000\021\010\000\020\000\040\003\001\042\000\002\021\001\003\021\001\377\331' \
	>"$site/content/events/2025-03-meetup/cover.jpg"
# A title of 20,000 characters: CJK, emoji, right-to-left, combining marks,
# controls, a long word: drawn in bounded time, cut with an ellipsis.
mkdir -p "$site/content/faq"
python3 -c '
import sys
s = ("超长标题" + "😀" + "עברית" + "e\u0301\u0301" + "\u202e" + "x" * 40 + " ") * 300
sys.stdout.write("---\ntitle: \"" + s[:20000] + "\"\ndate: 2025-04-01\n---\nBody.\n")' \
	>"$site/content/faq/long.md"
as 'Ada Lovelace' ada@example.org 2025-03-01T10:00:00Z 'a meetup and a long question'

# pngcheck FILE W H MIN MAX: a PNG (signature, IHDR first) of W x H pixels, MIN to MAX bytes.
pngcheck() {
	python3 - "$@" <<'P'
import struct, sys
f, w, h, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
d = open(f, 'rb').read()
ok = (d[:8] == b'\x89PNG\r\n\x1a\n' and d[12:16] == b'IHDR'
      and struct.unpack('>II', d[16:24]) == (w, h) and lo <= len(d) <= hi
      and d[-12:] == b'\0\0\0\0IEND\xaeB`\x82')
if not ok:
    print(f, len(d), struct.unpack('>II', d[16:24]) if len(d) >= 24 else None, file=sys.stderr)
sys.exit(0 if ok else 1)
P
}

now=1767225600 # 2026-01-01
build() { # build OUT JOBS [CACHE]
	XDG_CACHE_HOME=${3:-$T/cache-$1-$2} SOURCE_DATE_EPOCH=$now timeout 300 \
		"$JIXIA" build "$site" -o "$T/$1" -j "$2" -v 2>"$T/$1.err"
}
check 'build with posters and cards' build out1 1
o=$T/out1
for y in 2024 2025; do
	check "$y poster (zh): PNG 1080x1350, 20 KB to 1.5 MB" pngcheck "$o/contributors/$y/poster.png" 1080 1350 20000 1500000
	check "$y poster (en): PNG 1080x1350" pngcheck "$o/en/contributors/$y/poster.png" 1080 1350 20000 1500000
done
check 'the two languages draw two posters' sh -c "! cmp -s '$o/contributors/2024/poster.png' '$o/en/contributors/2024/poster.png'"
check 'talk card: PNG 1200x630, 10 KB to 1 MB' pngcheck "$o/talks/2024-pg/card.png" 1200 630 10000 1000000
check 'translated talk card' pngcheck "$o/en/talks/2024-pg/card.png" 1200 630 10000 1000000
check 'person card (an SVG avatar: initials)' pngcheck "$o/people/ada/card.png" 1200 630 10000 1000000
check 'hostile title card, bounded' pngcheck "$o/faq/long/card.png" 1200 630 10000 1000000
check 'an event with a raster cover has no card' test ! -e "$o/events/2025-03-meetup/card.png"

y=$o/contributors/2024/index.html
check 'year page: og:image is its poster' contains "$y" '<meta property="og:image" content="https://example.org/contributors/2024/poster.png">'
check 'year page: og:image size' contains "$y" '<meta property="og:image:height" content="1350">'
check 'year page: twitter large image' contains "$y" '<meta name="twitter:card" content="summary_large_image">'
check 'year page: twitter:image' contains "$y" '<meta name="twitter:image" content="https://example.org/contributors/2024/poster.png">'
check 'year page: download link' contains "$y" 'href="/contributors/2024/poster.png" download="poster-2024.png">下载海报</a>'
check 'year page: a shared link names the year' contains "$y" '<meta property="og:title" content="2024 · 年度回顾">'
check 'en year page: twitter:title names the year' contains "$o/en/contributors/2024/index.html" '<meta name="twitter:title" content="2024 · Year in review">'
check 'en year page: its own poster' contains "$o/en/contributors/2024/index.html" 'download="poster-2024.png">Download poster</a>'
p=$o/people/ada/2024/index.html
check 'person year poster: PNG 1080x1350' pngcheck "$o/people/ada/2024/poster.png" 1080 1350 20000 1500000
check 'person year page: og:image is the poster' contains "$p" '<meta property="og:image" content="https://example.org/people/ada/2024/poster.png">'
check 'person year page: a shared link names the person and year' contains "$p" '<meta property="og:title" content="Ada Lovelace · 2024 · 年度回顾">'
check 'person year page: download link' contains "$p" 'href="/people/ada/2024/poster.png" download="poster-2024.png">下载海报</a>'
t=$o/talks/2024-pg/index.html
check 'talk: og:image is its card' contains "$t" '<meta property="og:image" content="https://example.org/talks/2024-pg/card.png">'
check 'talk: og:image width' contains "$t" '<meta property="og:image:width" content="1200">'
check 'talk: twitter:image' contains "$t" '<meta name="twitter:image" content="https://example.org/talks/2024-pg/card.png">'
e=$o/events/2025-03-meetup/index.html
check 'event: og:image is its cover' contains "$e" 'og:image" content="https://example.org/events/2025-03-meetup/cover.jpg">'
check 'event: a summary card' contains "$e" '<meta name="twitter:card" content="summary">'
check 'the posters and cards counted' grep -q 'cards .* 11 posters and cards, 0 of them from the cache' "$T/out1.err"

# The same bytes at -j2 (another cache, cold) and again from the first's cache.
check 'build at -j2' build out2 2
check 'same output at -j1 and -j2' diff -r "$T/out1" "$T/out2"
check 'build again, warm cache' build out3 2 "$T/cache-out1-1"
check 'every picture from the cache' grep -q '11 posters and cards, 11 of them from the cache' "$T/out3.err"
check 'cached pictures: the same bytes as drawn ones' diff -r "$T/out1" "$T/out3"
# Housekeeping: a picture unused for 40 days goes; one read by the build stays.
c1=$T/cache-out1-1/jixia/cards
printf 'x' >"$c1/00000000000000000000000000000000.png"
touch -d '40 days ago' "$c1"/*.png
check 'build again, old cache files' build out3b 1 "$T/cache-out1-1"
check 'every card still from the cache' grep -q '11 posters and cards, 11 of them from the cache' "$T/out3b.err"
check 'an unused old picture removed' test ! -e "$c1/00000000000000000000000000000000.png"
check 'the pictures read stay' test "$(ls "$c1"/*.png | wc -l)" -eq 11
# A cache file cut short (a full disk): drawn again, not published broken.
for f in "$T/cache-out1-1"/jixia/cards/*.png; do
	head -c 3000 "$f" >"$f.cut" && mv "$f.cut" "$f"
done
check 'build with broken cache files' build out4 1 "$T/cache-out1-1"
check 'broken cache files drawn again' grep -q '11 posters and cards, 0 of them from the cache' "$T/out4.err"
check 'the same bytes after a broken cache' diff -r "$T/out1" "$T/out4"

# A bundle's own card.png would take the card's address: an error at the file.
mkdir -p "$site/content/talks/2025-b"
printf -- '---\ntitle: B\ndate: 2025-01-01\nspeakers: [ada]\n---\nB.\n' >"$site/content/talks/2025-b/index.md"
cp "$T/out1/people/ada/card.png" "$site/content/talks/2025-b/card.png"
XDG_CACHE_HOME=$T/cache-clash "$JIXIA" build "$site" -o "$T/clash" 2>"$T/clash.err"
check 'a card.png of the bundle fails' test $? -ne 0
check 'the clash named at the file' grep -q '^content/talks/2025-b/card.png: error: would be published at talks/2025-b/card.png' "$T/clash.err"
rm -rf "$site/content/talks/2025-b"

# Pango matches fonts on threads of its own, each holding its font map (and
# so cairo's fonts) until it ends: on a loaded machine some end after the
# build. The build must still exit 0 (it once reset cairo's state at exit
# and aborted in _cairo_hash_table_destroy). A shim that delays pango's
# FcFontSetSort makes the late thread certain; then quick builds at -j3,
# each with a cold cache (every picture drawn), each exit status checked.
cat >"$T/slowsort.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <unistd.h>
typedef void *(*sort_fn)(void *, void *, int, void *, int, void *, void *);
void *FcFontSetSort(void *c, void *s, int n, void *p, int trim, void *cs, void *r)
{
	/* jixia loads pango (and so fontconfig) only to draw, and keeps it out of the global
	   scope, where RTLD_NEXT looks: then the loaded library's own */
	sort_fn real = (sort_fn)dlsym(RTLD_NEXT, "FcFontSetSort");
	if (!real)
		real = (sort_fn)dlsym(dlopen("libfontconfig.so.1", RTLD_NOW | RTLD_NOLOAD), "FcFontSetSort");
	usleep(300000);
	return real(c, s, n, p, trim, cs, r);
}
C
if ${CC:-cc} -shared -fPIC -o "$T/slowsort.so" "$T/slowsort.c" -ldl 2>"$T/slowsort.err"; then
	for i in 1 2; do
		LD_PRELOAD=$T/slowsort.so ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
			build late$i 3
		check "build $i with pango's font sorting late: exit 0" test $? -eq 0
	done
	check 'pictures drawn with a late sort: the same bytes' diff -r "$T/out1" "$T/late1"
else
	fail 'cc could not build the shim' "$(head -n 3 "$T/slowsort.err")"
fi
n=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	build quick$i 3 || { n=$((n + 1)); tail -n 2 "$T/quick$i.err"; }
	rm -rf "$T/quick$i" "$T/cache-quick$i-3"
done
check 'ten cold builds at -j3 all exit 0' test "$n" -eq 0

# pango and cairo are loaded the first time a picture is drawn, not linked
# (poster.c's S_load): no command pays for loading them at its start. A
# pango that lacks a function jixia calls fails the build with its name,
# and no site is written.
check 'jixia links no pango or cairo' sh -c "! ldd '$JIXIA' | grep -q 'pango\|cairo'"
mkdir -p "$T/fakelib"
echo 'int jixia_fake;' >"$T/fake.c"
if ${CC:-cc} -shared -fPIC -o "$T/fakelib/libpangocairo-1.0.so.0" "$T/fake.c" 2>"$T/fake.err"; then
	LD_LIBRARY_PATH=$T/fakelib build fake 2
	check 'a pango without its functions: exit 1' test $? -eq 1
	check 'the missing function named' contains "$T/fake.err" \
		'error: the pango and cairo loaded to draw posters and cards lack cairo_arc'
	check 'no site written' test ! -e "$T/fake"
else
	fail 'cc could not build the fake pango' "$(head -n 3 "$T/fake.err")"
fi

# Off by default: no cards, no person posters, the year posters stay.
sed -i '/^social_cards:/d; /^person_posters:/d' "$site/site.yaml"
check 'build without social_cards' build out5 2
check 'no card by default' test ! -e "$T/out5/talks/2024-pg/card.png"
check 'no og:image without a picture' sh -c "! grep -q 'og:image' '$T/out5/talks/2024-pg/index.html'"
check 'no person poster by default' test ! -e "$T/out5/people/ada/2024/poster.png"
check 'no poster link on the person year page' sh -c "! grep -q 'poster.png' '$T/out5/people/ada/2024/index.html'"
check 'the year poster stays' cmp "$T/out1/contributors/2024/poster.png" "$T/out5/contributors/2024/poster.png"

# Not a boolean: an error at its line:col.
echo 'social_cards: maybe' >>"$site/site.yaml"
XDG_CACHE_HOME=$T/cache-bad "$JIXIA" build "$site" -o "$T/bad" 2>"$T/bad.err"
check 'social_cards: maybe fails' test $? -ne 0
line=$(grep -n '^social_cards' "$site/site.yaml" | cut -d: -f1)
check 'social_cards: maybe at line:col' grep -q "site.yaml:$line:15: error: 'social_cards' must be true or false" "$T/bad.err"
cat "$T/bad.err" | head -3

finish
