# One commit adds 65,536 Markdown files whose paths collide in the low 18
# bits of FNV-1a, the walk's old unkeyed map hash (every lookup walked one
# run of slots: 38 s); the next commit removes them.
git init -q -b main
git add -A
GIT_AUTHOR_DATE=@1577872800 GIT_COMMITTER_DATE=@1577872800 \
	git -c user.name=A -c user.email=a@example.org commit -q -m base
python3 - "$(dirname "$0")/.." <<'PY'
import itertools, random, sys; sys.path.insert(0, sys.argv[1])
import gitobj
M, P, MASK = (1 << 64) - 1, 1099511628211, (1 << 18) - 1
def fnv(h, bs):
    for c in bs:
        h = ((h ^ c) * P) & M
    return h
# Two blocks that leave the low bits of the state alike, 16 times over:
# any choice of one block per step gives one of 2^16 colliding names.
h, pairs, rng = fnv(1469598103934665603, b'zz/'), [], random.Random(1)
for step in range(16):
    seen = {}
    while len(pairs) == step:
        blk = bytes(rng.choice(b'abcdefghijklmnopqrstuvwxyz') for _ in range(5))
        v = fnv(h, blk) & MASK
        if seen.get(v, blk) != blk:
            pairs.append((seen[v], blk))
        seen[v] = blk
    h = fnv(h, pairs[-1][0])
names = sorted(b''.join(p[c] for p, c in zip(pairs, pick)) + b'.md'
               for pick in itertools.product((0, 1), repeat=16))
r = gitobj.Repo()
blob = r.blob('---\ntitle: a\n---\nx\n')
content = r.tree(r.entries('HEAD:content') + [('40000', 'zz', r.tree([('100644', n, blob) for n in names]))])
root = r.tree([e if e[1] != b'content' else (e[0], e[1], content) for e in r.entries('HEAD^{tree}')])
add = r.commit(root, [gitobj.git('rev-parse', 'HEAD')], 'add', 1580551200)
remove = r.commit(gitobj.git('rev-parse', 'HEAD^{tree}'), [add], 'remove', 1585735200)
r.save()
gitobj.set_branch(remove)
PY
