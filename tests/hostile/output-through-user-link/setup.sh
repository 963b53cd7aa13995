# -o link/public: link is the user's own link to the site (followed), and
# public/ in the site is a link a commit made to a marked folder outside.
mkdir ../outside
echo keep >../outside/sentinel
: >../outside/.jixia-output
ln -s site ../link
ln -s ../outside public
