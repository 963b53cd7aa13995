# A tag name of 1 MB looked up 1,000,000 times: each lookup reads the whole
# name (for its dots) in one step. A name over 256 bytes is refused.
awk 'BEGIN {
	printf "---\ntitle: x\nl: ["
	for (i = 0; i < 100; i++) printf "%s%d", i ? ", " : "", i
	printf "]\n---\nx\n"
}' >content/faq/x.md
mkdir -p layouts
{
	printf '{{#page.l}}{{#page.l}}{{#page.l}}{{'
	head -c 1000000 /dev/zero | tr '\0' a
	printf '}}{{/page.l}}{{/page.l}}{{/page.l}}\n'
} >layouts/faq.html
