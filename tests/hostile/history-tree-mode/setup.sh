# An old commit's content/faq/ tree has an entry whose mode is 28 digits
# (a signed overflow in a naive parser); the next commit drops it again.
git init -q -b main
git add -A
GIT_AUTHOR_DATE=@1577872800 GIT_COMMITTER_DATE=@1577872800 \
	git -c user.name=A -c user.email=a@example.org commit -q -m base
python3 - "$(dirname "$0")/.." <<'PY'
import sys; sys.path.insert(0, sys.argv[1])
import gitobj
r = gitobj.Repo()
blob = r.blob('---\ntitle: bad mode\n---\nx\n')
faq = r.tree([('7777777777777777777777100644', 'bad.md', blob)] + r.entries('HEAD:content/faq'))
content = r.tree([e if e[1] != b'faq' else (e[0], e[1], faq) for e in r.entries('HEAD:content')])
root = r.tree([e if e[1] != b'content' else (e[0], e[1], content) for e in r.entries('HEAD^{tree}')])
bad = r.commit(root, [gitobj.git('rev-parse', 'HEAD')], 'bad mode', 1580551200)
fixed = r.commit(gitobj.git('rev-parse', 'HEAD^{tree}'), [bad], 'fixed', 1583056800)
r.save()
gitobj.set_branch(fixed)
PY
