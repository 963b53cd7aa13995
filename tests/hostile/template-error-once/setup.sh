# One bad tag in a layout that 22 pages use.
mkdir -p layouts
printf '<h1>{{{page.title}}}</h1>\n' >layouts/faq.html
i=10
while [ $i -lt 31 ]; do
	printf -- '---\ntitle: q%d\n---\na%d\n' $i $i >content/faq/q$i.md
	i=$((i + 1))
done
