# links closing after many emphasis runs: ~30 s in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + 'x_[^1]\\n' * 100000)"
