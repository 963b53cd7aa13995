# A commit adds content/d/d/.../x.md 40,000 folders deep; the next one
# removes it again, so only the history walk meets it. With the argument
# "keep" (history-deep-head) the deep commit is the last one.
git init -q -b main
git add -A
GIT_AUTHOR_DATE=@1577872800 GIT_COMMITTER_DATE=@1577872800 \
	git -c user.name=A -c user.email=a@example.org commit -q -m base
python3 - "$(dirname "$0")/.." "${1:-}" <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
import gitobj
r = gitobj.Repo()
t = r.tree([('100644', 'x.md', r.blob('---\ntitle: deep\n---\nx\n'))])
for i in range(40000):
    t = r.tree([('40000', 'd', t)])
base = gitobj.git('rev-parse', 'HEAD')
content = r.tree([('40000', 'd', t)] + r.entries('HEAD:content'))
root = r.tree([e if e[1] != b'content' else (e[0], e[1], content) for e in r.entries('HEAD^{tree}')])
deep = r.commit(root, [base], 'deep', 1580551200)
undeep = r.commit(gitobj.git('rev-parse', 'HEAD^{tree}'), [deep], 'undeep', 1583056800)
r.save()
gitobj.set_branch(deep if sys.argv[2] == 'keep' else undeep)
PY
