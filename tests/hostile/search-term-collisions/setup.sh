# Two pages of 1 MiB, 131,000 words each, whose FNV-1a hashes end in the
# same 19 bits (or the next value), the search tables' old unkeyed hash:
# each page's table and the index's put every word in one run of slots
# (one such page took 29 s).
python3 - "$(dirname "$0")/.." <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
import fnvcollide
words = fnvcollide.words(fnvcollide.FNV32, 19, 262000)
for k in range(2):
    with open('content/faq/words-%d.md' % k, 'wb') as f:
        f.write(b'---\ntitle: words\n---\n' + b''.join(w + b'\n' for w in words[k::2]))
PY
