# public/ is a link a commit made to another folder of the repository that
# looks like an old output.
mkdir www
: >www/.jixia-output
echo keep >www/keep
ln -s www public
