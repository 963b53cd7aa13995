# A pull request commits a folder that git takes for a bare repository
# (HEAD, objects/, refs/, a config saying bare) and in it docs, a link to a
# folder outside. The CI job runs `jixia build site/a/docs` from another
# folder: discovery from a/ finds the bare repository, which has no working
# tree to hold the link.
git init -q
mkdir -p a/objects/info a/refs/heads ../outside/content/faq
echo 'ref: refs/heads/main' >a/HEAD
printf '[core]\n\tbare = true\n' >a/config
: >a/objects/info/keep
: >a/refs/heads/keep
cp site.yaml ../outside/
printf -- '---\ntitle: s\n---\nOUTSIDE-SECRET\n' >../outside/content/faq/s.md
ln -s "$(cd .. && pwd)/outside" a/docs
git add -A && git -c user.name=t -c user.email=t@example.org commit -qm pr
