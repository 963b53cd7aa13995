# One letter and 300,000 combining marks of two classes (600 KB): utf8proc
# put the whole run in canonical order by swapping neighbours while the
# search terms were made (past 60 s).
python3 -c "open('content/faq/x.md', 'w').write('---\\ntitle: x\\n---\\na' + '\\u0301' * 150000 + '\\u0316' * 150000 + '\\n')"
