# A layout whose partials fan out to 12 million steps: under the cap of one
# render, but a quarter of a second on each of 200 pages. The steps of all pages
# together are bounded, so the build stops after the first few.
mkdir -p layouts/partials
printf '{{>r1}}\n' >layouts/faq.html
i=1
while [ $i -le 22 ]; do
	printf '{{>r%d}}{{>r%d}}' $((i + 1)) $((i + 1)) >layouts/partials/r$i.html
	i=$((i + 1))
done
: >layouts/partials/r23.html
i=100
while [ $i -lt 300 ]; do
	printf -- '---\ntitle: q%d\n---\na%d\n' $i $i >content/faq/q$i.md
	i=$((i + 1))
done
