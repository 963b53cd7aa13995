# 125,000 links on one line of 1 MB: each link's column was counted from the line's start (37 s)
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + '[a](x:y)' * 125000 + '\\n')"
