# 60,000 links to missing files on one page, over two pages' worth of
# lines: each is an error, and quoting each one's line used to rescan the
# page from the top.
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "[m](m%d.pdf)\n\n", i }' >body
{ printf -- '---\ntitle: many\n---\n'; cat body; } >content/faq/many.md
rm body
