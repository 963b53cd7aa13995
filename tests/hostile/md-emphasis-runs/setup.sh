# emphasis runs that never match (cmark #389): ~30 s in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + '*a ' * 125000 + '_a*_ ' * 125000)"
