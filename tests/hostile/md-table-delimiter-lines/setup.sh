# delimiter-like lines that never fit the paragraph above: 16 s in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + 'a\\n' + '-|-\\n-|-|-\\n' * 5000)"
