# A type of 20,000 fields and a page of 5,000 unknown keys: each warning
# listed every field (33 s, 1.8 GB).
python3 -c "
open('site.yaml', 'a').write('types:\\n  faq:\\n    fields:\\n      title: {type: string}\\n' + ''.join('      f%d: {type: string}\\n' % i for i in range(20000)))
open('content/faq/x.md', 'w').write('---\\ntitle: x\\n' + ''.join('k%d: v\\n' % i for i in range(5000)) + '---\\nx\\n')"
