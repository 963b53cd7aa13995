# blank lines inside 1,000 nested lists: 21 s in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + '- ' * 1000 + 'x' + '\\n' * 997000)"
