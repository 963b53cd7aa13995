# What builds killed with kill -9 leave beside public/ (marked folders of
# jixia's names), and look-alikes that are not jixia's: no marker, a longer
# suffix, links to a marked folder outside.
mkdir -p .public.tmp-Ab3dE9/faq .public.old-Qw1rT5
: >.public.tmp-Ab3dE9/.jixia-output
echo old >.public.tmp-Ab3dE9/faq/index.html
: >.public.old-Qw1rT5/.jixia-output
mkdir .public.tmp-Zz9yY8
echo keep >.public.tmp-Zz9yY8/keep
mkdir .public.tmp-Ab3dE9x
: >.public.tmp-Ab3dE9x/.jixia-output
mkdir ../outside
: >../outside/.jixia-output
echo keep >../outside/sentinel
ln -s ../outside .public.tmp-Ll0kK9
ln -s ../outside .public.old-Ll0kK9
