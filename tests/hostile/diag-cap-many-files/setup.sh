# 50 pages of 600 links to missing files each, 30,000 errors: a flush
# shows the first 500 of a file and 20,000 in all (diag.h), in path and
# line order whatever order the threads reported them in, then says how
# many more there were. The warning that the site is not in git, then
# the pages p10..p49, fill the 20,000.
for p in $(seq 10 59); do
	{
		printf -- '---\ntitle: p%s\n---\n' "$p"
		awk 'BEGIN { for (i = 0; i < 600; i++) printf "[m](m%d.pdf)\n\n", i }'
	} >content/faq/p$p.md
done
