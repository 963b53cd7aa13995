# A page whose text fits the cap of 16,384 distinct search terms but whose
# summary (20,000 random Han characters, which the index tokenizes itself)
# does not: the index cuts it and warns. Each rebuild warns again, and the
# rebuild after another page's edit still updates the index it kept,
# tokenizing that page and the cut one again (the first rebuild makes the
# index it keeps): it had dropped the index
# whenever a page was cut, so every rebuild of such a site indexed every
# page again (a one-page rebuild of the 10,000 pages: index 32 -> 750 ms).
python3 -c "
import random
r = random.Random(7)
han = ''.join(chr(r.randint(0x4E00, 0x9FFF)) for _ in range(20000))
open('content/faq/sum.md', 'w').write('---\ntitle: sum\nsummary: ' + han + '\n---\nx\n')
"
