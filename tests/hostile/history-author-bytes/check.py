# Every text file of the output (all but the search index's binary shards
# and the PNG posters, whose names' bytes poster.c makes valid itself)
# is valid UTF-8 without control characters other than tab, CR and LF.
import os, re, sys
bad = []
for top, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith('.bin') or name.endswith('.png'):
            continue
        path = os.path.join(top, name)
        try:
            text = open(path, encoding='utf-8').read()
        except UnicodeDecodeError:
            bad.append(path + ': not UTF-8')
            continue
        if re.search('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]', text):
            bad.append(path + ': control character')
print('\n'.join(bad))
sys.exit(1 if bad else 0)
