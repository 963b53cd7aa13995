# autolink candidates that fail on the same long word: minutes in cmark-gfm 0.29.0.gfm.6
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n' + '_www.a' * 100000)"
