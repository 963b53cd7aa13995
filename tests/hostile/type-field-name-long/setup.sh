# A field name of 8 MB in site.yaml, and a layout that looks up a key the
# page lacks 343,000 times: each lookup compares the key with every field
# name, and must read no more of a name than the key's length.
{
	printf 'title: Hostile\nlanguages:\n  - {code: zh, default: true}\n'
	printf 'types:\n  faq:\n    fields:\n      title: {type: string}\n'
	printf '      l: {type: list, of: string}\n      ? '
	head -c 8000000 /dev/zero | tr '\0' f
	printf '\n      : {type: string}\n'
} >site.yaml
awk 'BEGIN {
	printf "---\ntitle: x\nl: ["
	for (i = 0; i < 70; i++) printf "%s%d", i ? ", " : "", i
	printf "]\n---\nx\n"
}' >content/faq/x.md
mkdir -p layouts
printf '{{#page.l}}{{#page.l}}{{#page.l}}{{page.zz}}{{/page.l}}{{/page.l}}{{/page.l}}\n' >layouts/faq.html
