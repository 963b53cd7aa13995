# 2,000 languages: every page in every language, each linking all others.
{
	echo 'title: Hostile'
	echo 'languages:'
	echo '  - {code: zh, default: true}'
	awk 'BEGIN { a = "abcdefghijklmnopqrstuvwxyz"
		for (i = 0; i < 2000; i++)
			printf "  - {code: q%s%s%s}\n", substr(a, int(i / 676) % 26 + 1, 1),
				substr(a, int(i / 26) % 26 + 1, 1), substr(a, i % 26 + 1, 1) }'
} >site.yaml
