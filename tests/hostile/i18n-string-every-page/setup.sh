# A UI string of 4 MB that the theme shows on every page ("home", in the
# navigation), on 40 pages: a few template steps each, under the caps of
# one render, but 4 MB written per page (at 10,000 pages, 40 GB). The bytes
# written count in the steps of all pages together, so the build stops.
mkdir -p layouts/i18n
python3 - "$(dirname "$0")/../../../layouts/i18n/zh.yaml" <<'PY'
import re, sys
src = open(sys.argv[1], encoding='utf-8').read()
src = re.sub(r'^home: .*$', 'home: ' + 'H' * (4 << 20), src, flags=re.M)
open('layouts/i18n/zh.yaml', 'w', encoding='utf-8').write(src)
for i in range(40):
    open('content/faq/q%d.md' % i, 'w').write('---\ntitle: q%d\n---\nx\n' % i)
PY
