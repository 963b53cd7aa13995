# An author name with ESC and invalid UTF-8, a Co-authored-by trailer with
# an OSC sequence and BEL, and a .mailmap name with ESC and an overlong
# form; the author name also holds a C1 control (CSI) as valid UTF-8.
printf 'Mapped\033[2J\300\257 <mapped@example.org> <m@example.org>\n' > .mailmap
git init -q -b main
python3 - "$(dirname "$0")/.." <<'PY'
import subprocess, sys; sys.path.insert(0, sys.argv[1])
import gitobj
subprocess.run(['git', 'add', '-A'], check=True)
tree = subprocess.check_output(['git', 'write-tree']).decode().strip()
r = gitobj.Repo()
one = r.commit(tree, [], b'one\n\nCo-authored-by: Co\x1b]0;pwned\x07Author\xfe <co@example.org>\n', 1580551200,
               author=b'Evil\x1b[31mName\xff\xc2\x9b <evil@example.org>')
two = r.commit(tree, [one], b'two\n', 1583056800, author=b'm <m@example.org>')
r.save()
gitobj.set_branch(two)
PY
# the second commit must change content/ to count: touch one page
printf '\nmore\n' >> content/faq/ok.md
git add -A
GIT_AUTHOR_DATE=@1585735200 GIT_COMMITTER_DATE=@1585735200 \
	git -c user.name=m -c user.email=m@example.org commit -q -m three
