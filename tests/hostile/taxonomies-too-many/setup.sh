# 90,000 taxonomies of 60-letter names: each was checked against all before it
# (31 s), and the model keeps a field index per type and taxonomy.
python3 -c "open('site.yaml', 'a').write('taxonomies:\\n' + ''.join('  - %s%d\\n' % ('t' * 56, i) for i in range(90000)))"
