# -o site/sub/out: sub/ is a link a commit made to a folder outside.
mkdir ../outside
echo keep >../outside/sentinel
ln -s ../outside sub
