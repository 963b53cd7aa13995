# Front matter with a mapping of 7,000 keys, and a layout that looks up a
# key it lacks 6 million times: each lookup scans the mapping, so that
# work must count against the template's step limit.
awk 'BEGIN {
	printf "---\ntitle: x\nl: ["
	for (i = 0; i < 50; i++) printf "%s%d", i ? ", " : "", i
	printf "]\nm: {"
	for (i = 0; i < 7000; i++) printf "%s%x: 0", i ? ", " : "", i
	printf "}\n---\nx\n"
}' >content/faq/x.md
mkdir -p layouts
printf '{{#page.l}}{{#page.l}}{{#page.l}}{{#page.l}}{{page.m.zz}}{{/page.l}}{{/page.l}}{{/page.l}}{{/page.l}}\n' >layouts/faq.html
