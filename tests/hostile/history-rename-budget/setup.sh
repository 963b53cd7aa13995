# One commit moves 3,000 files of 900 KB to another folder, each with an
# edit: the same names, so each pair is compared by content. The walk's
# byte budget for similarity stops it after 256 MiB (all of it: 5.4 GB).
git init -q -b main
git add -A
GIT_AUTHOR_DATE=@1577872800 GIT_COMMITTER_DATE=@1577872800 \
	git -c user.name=A -c user.email=a@example.org commit -q -m base
python3 - "$(dirname "$0")/.." <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
import gitobj
r = gitobj.Repo()
def root(folder):
    content = r.tree(r.entries('HEAD:content') + [folder])
    return r.tree([e if e[1] != b'content' else (e[0], e[1], content) for e in r.entries('HEAD^{tree}')])
body = ''.join('line %d\n' % i for i in range(110000))[:900000]
a = r.blob('---\ntitle: a\n---\n' + body)
b = r.blob('---\ntitle: b\n---\n' + body + 'an edit\n')
old = root(('40000', 'zy', r.tree([('100644', 'x%04d.md' % i, a) for i in range(3000)])))
new = root(('40000', 'zz', r.tree([('100644', 'x%04d.md' % i, b) for i in range(3000)])))
c1 = r.commit(old, [gitobj.git('rev-parse', 'HEAD')], 'add', 1580551200)
c2 = r.commit(new, [c1], 'move', 1583056800)
c3 = r.commit(gitobj.git('rev-parse', 'HEAD^{tree}'), [c2], 'remove', 1585735200)
r.save()
gitobj.set_branch(c3)
PY
