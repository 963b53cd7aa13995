# The checkout belongs to another user (a CI runner's workspace mounted into
# a root container), so libgit2 refuses to open it, and docs is a committed
# link to a site outside. Only root can chown: as another user this is the
# plain committed link, which must be refused all the same.
git init -q
mkdir -p ../outside/content/faq
cp site.yaml ../outside/
printf -- '---\ntitle: s\n---\nOUTSIDE-SECRET\n' >../outside/content/faq/s.md
ln -s "$(cd .. && pwd)/outside" docs
git add -A && git -c user.name=t -c user.email=t@example.org commit -qm pr
if [ "$(id -u)" = 0 ]; then chown -R 12345:12345 .; fi
