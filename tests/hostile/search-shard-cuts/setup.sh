# Four pages of 60,000 distinct short words each (240,000 terms of 2-4
# letters, tiny records): the term shards, cut where their terms say
# (search_shard_cuts), must stay under the file cap of a 6-page site (64
# files in search/) and near the size aimed at, no shard a crumb or a
# giant.
python3 - <<'PY'
import itertools, string
words = (''.join(p) for n in (2, 3, 4) for p in itertools.product(string.ascii_lowercase, repeat=n))
words = list(itertools.islice(words, 240000))
for k in range(4):
    with open('content/faq/words-%d.md' % k, 'w') as f:
        f.write('---\ntitle: words\n---\n' + ' '.join(words[k::4]) + '\n')
PY
