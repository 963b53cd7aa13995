python3 -c "open('content/faq/big.md','w').write('---\ntitle: big\n---\n' + 'x' * (2 << 20))"
