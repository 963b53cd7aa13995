# A checkout with no .git (a tarball): the job runs `jixia build site/docs`
# in the folder that holds it, and docs is a link to a site outside. With
# the default output, public/ would be written there too.
mkdir -p ../outside/content/faq
cp site.yaml ../outside/
printf -- '---\ntitle: s\n---\nOUTSIDE-SECRET\n' >../outside/content/faq/s.md
ln -s ../outside docs
