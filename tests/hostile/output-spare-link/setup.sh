# A link named like the spare jixia keeps beside public/ (the site before
# it, updated in place by the next build), to a marked folder outside: it
# is never taken as the spare, written through or replaced.
mkdir ../outside public
: >../outside/.jixia-output
echo keep >../outside/sentinel
: >public/.jixia-output
ln -s ../outside .public.spare
