# A 100 KB link reference used by 5,000 links: cmark-gfm 0.29.0.gfm.6 copies
# it for each (0.3 s and 500 MB before the output bound sees the tree; at
# the 1 MiB cap, 500 KB used 170,000 times asks for 40 GB)
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\n[x]: /' + 'x' * 100000 + '\\n\\n' + '[x]' * 10000)"
