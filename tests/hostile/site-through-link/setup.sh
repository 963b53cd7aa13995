# The CI job runs `jixia build site/docs`; the pull request made docs a
# link to a folder outside the repository (a site of its own there).
git init -q
mkdir -p ../outside/content/faq
cp site.yaml ../outside/
printf -- '---\ntitle: s\n---\nOUTSIDE-SECRET\n' >../outside/content/faq/s.md
ln -s "$(cd .. && pwd)/outside" docs
