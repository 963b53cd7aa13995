# images left open before links: 31 s in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + '![[]()' * 50000)"
