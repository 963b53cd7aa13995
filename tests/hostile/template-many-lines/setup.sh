# A layout of 30 million empty lines (30 MB, under the file cap): each line
# of text became its own node, 2 GB in all.
mkdir -p layouts
python3 -c "open('layouts/faq.html', 'w').write('\\n' * 30000000 + '{{page.title}}\\n')"
