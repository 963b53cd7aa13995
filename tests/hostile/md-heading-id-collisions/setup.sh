# One page of 1 MiB with 104,000 headings whose ids end in the same 18 bits
# of FNV-1a, the heading-id table's old unkeyed hash: every id walked one
# run of slots (57 s for this page).
python3 - "$(dirname "$0")/.." <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
import fnvcollide
words = fnvcollide.words(fnvcollide.FNV64, 18, 104000)
with open('content/faq/headings.md', 'wb') as f:
    f.write(b'---\ntitle: headings\n---\n' + b''.join(b'# ' + w + b'\n' for w in words))
PY
