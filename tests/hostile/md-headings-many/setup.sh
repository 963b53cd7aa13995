# 500,000 empty headings (1 MB): each one was replaced by three new nodes
# (a custom block and two custom inlines for its tags) and kept an id
# buffer of 128 bytes; the page peaked at 753 MB, 232 MB now, about
# cmark-gfm's own nodes (320 bytes a heading) and the ids.
{
	printf -- '---\ntitle: headings\n---\n'
	awk 'BEGIN { for (i = 0; i < 500000; i++) print "#" }'
} >content/faq/headings.md
