# A page of 1 MB of random Han characters: nearly every pair of them is a
# search term of its own (349,000 on the page), each a term of the index,
# and the index stage took 1.8 s and 285 MB. And a page whose summary is
# 60 KB of them (33,000 terms from the front matter, which the index
# tokenizes itself). A page gives the index at most its first 16,384
# distinct terms, with a warning.
python3 -c "
import random
r = random.Random(42)
han = lambda n: ''.join(chr(r.randint(0x4E00, 0x9FFF)) for _ in range(n))
lines = [han(100) for _ in range(3300)]
open('content/faq/han.md', 'w').write('---\ntitle: han\n---\n' + '\n\n'.join(lines) + '\n')
open('content/faq/sum.md', 'w').write('---\ntitle: sum\nsummary: ' + han(20000) + '\n---\nx\n')
"
