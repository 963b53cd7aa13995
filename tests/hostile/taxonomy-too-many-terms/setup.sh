# A page with 2,000 tags: every one of its term pages would list it with
# all 2,000 (4 million links). Another page has exactly the limit, and a
# case study reaches it only with its products and tags together.
printf 'title: Hostile\nlanguages:\n  - {code: zh, default: true}\n  - {code: en}\ntaxonomies: [tags, products]\n' >site.yaml
tags() {
	i=0
	printf '['
	while [ $i -lt $1 ]; do
		[ $i -gt 0 ] && printf ', '
		printf '%s%d' $2 $i
		i=$((i + 1))
	done
	printf ']'
}
printf -- '---\ntitle: many\ntags: %s\n---\nx\n' "$(tags 2000 t)" >content/faq/many.md
printf -- '---\ntitle: hundred\ntags: %s\n---\nx\n' "$(tags 100 t)" >content/faq/hundred.md
mkdir -p content/cases
printf -- '---\ntitle: c\ncompany: c\ntags: %s\nproducts:\n%s\n---\nx\n' "$(tags 60 t)" \
	"$(tags 41 p | tr -d '[]' | tr ',' '\n' | sed 's/^ */  - /')" >content/cases/c.md
