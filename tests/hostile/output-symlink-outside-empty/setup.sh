# public/, the default output, is a link a commit made to an empty folder
# outside the repository.
mkdir ../outside
ln -s ../outside public
