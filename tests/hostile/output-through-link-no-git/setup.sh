# A checkout with no .git (a tarball) in the folder jixia runs in holds pub,
# a link to a folder outside; the job runs `jixia build site -o pub/x`.
mkdir ../outside
ln -s outside ../pub
