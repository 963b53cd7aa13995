# One commit replaces 100,000 Markdown files with 100,000 others (no two
# alike by blob or by name); the next removes them. Pairing them all
# against all took 46 s.
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
a = r.blob('---\ntitle: a\n---\nold\n')
b = r.blob('---\ntitle: b\n---\nnew\n')
# 'zz' sorts after the base site's folders
old = root(('40000', 'zz', r.tree([('100644', 'f%06d.md' % i, a) for i in range(100000)])))
new = root(('40000', 'zz', r.tree([('100644', 'g%06d.md' % i, b) for i in range(100000)])))
c1 = r.commit(old, [gitobj.git('rev-parse', 'HEAD')], 'add', 1580551200)
c2 = r.commit(new, [c1], 'replace', 1583056800)
c3 = r.commit(gitobj.git('rev-parse', 'HEAD^{tree}'), [c2], 'remove', 1585735200)
r.save()
gitobj.set_branch(c3)
PY
