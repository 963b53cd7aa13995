# Two layouts of 6 million '{{.}}' each (30 MB, under the file cap; git packs
# them to kilobytes): each tag took 35 times its source's bytes, 1.1 GB for
# these two, 2.7 GB and 10 s for five. The set's tags are capped.
mkdir -p layouts
python3 -c "
s = '{{.}}' * 6000000 + '\\n'
for n in ['faq', 'page']:
    open('layouts/%s.html' % n, 'w').write(s)"
