# Thirteen partials that each include the next one twice, over 32 KiB of
# text: 2^13 copies, 256 MiB of page from a few hundred bytes of layouts.
mkdir -p layouts/partials ../out
printf '{{>d1}}\n' >layouts/faq.html
i=1
while [ $i -le 13 ]; do
	printf '{{>d%d}}{{>d%d}}' $((i + 1)) $((i + 1)) >layouts/partials/d$i.html
	i=$((i + 1))
done
head -c 32768 /dev/zero | tr '\0' A >layouts/partials/d14.html
# A previous build's output, which a failed build leaves as it was.
: >../out/.jixia-output
printf 'old\n' >../out/keep.html
