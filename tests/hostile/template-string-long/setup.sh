# A UI string of 16 MB that a section only tests, 1,000,000 times: nothing is
# written, so the output cap does not stop it, and each test reads the
# string for its length. Long strings count a step per 256 bytes.
awk 'BEGIN {
	printf "---\ntitle: x\nl: ["
	for (i = 0; i < 100; i++) printf "%s%d", i ? ", " : "", i
	printf "]\n---\nx\n"
}' >content/faq/x.md
mkdir -p layouts/i18n
{
	printf 'long: '
	head -c 16000000 /dev/zero | tr '\0' v
	printf '\n'
} >layouts/i18n/zh.yaml
printf '{{#page.l}}{{#page.l}}{{#page.l}}{{#t.long}}{{/t.long}}{{/page.l}}{{/page.l}}{{/page.l}}\n' >layouts/faq.html
