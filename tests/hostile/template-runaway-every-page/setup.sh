# A layout whose partials fan out past the step limit, on 40 pages: each
# page runs into the limit, so the build must stop at the first one.
mkdir -p layouts/partials
printf '{{>r1}}\n' >layouts/faq.html
i=1
while [ $i -le 30 ]; do
	printf '{{>r%d}}{{>r%d}}' $((i + 1)) $((i + 1)) >layouts/partials/r$i.html
	i=$((i + 1))
done
: >layouts/partials/r31.html
i=10
while [ $i -lt 50 ]; do
	printf -- '---\ntitle: q%d\n---\na%d\n' $i $i >content/faq/q$i.md
	i=$((i + 1))
done
