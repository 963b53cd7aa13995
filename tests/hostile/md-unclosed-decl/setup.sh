# 1 MB of unclosed declarations: quadratic in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + 'a <!A ' * 166666)"
