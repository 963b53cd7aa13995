# 1 MB of unclosed processing instructions: 58 s in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + 'a <?' * 250000)"
