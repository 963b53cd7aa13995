# 100,000 Hugo shortcodes on one line: each was found by reading its line from where the last
# one was to the line's end, and its column counted from the line's start (37 s)
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + '{{< x >}}' * 100000 + '\\n')"
