# UI strings with 45,000 keys, and a layout that looks up one it lacks
# 250,000 times: a lookup must not scan them all.
printf 'title: Hostile\nlanguages:\n  - {code: zh, default: true}\n' >site.yaml
mkdir -p layouts/i18n
awk 'BEGIN { for (i = 0; i < 45000; i++) printf "k%x: v\n", i }' >layouts/i18n/zh.yaml
awk 'BEGIN {
	printf "---\ntitle: x\nl: ["
	for (i = 0; i < 12; i++) printf "%s%d", i ? ", " : "", i
	printf "]\n---\nx\n"
}' >content/faq/x.md
printf '{{#page.l}}{{#page.l}}{{#page.l}}{{#page.l}}{{#page.l}}{{t.zz}}{{/page.l}}{{/page.l}}{{/page.l}}{{/page.l}}{{/page.l}}\n' >layouts/faq.html
