# jixia import hugo over three pages of one section, each with 70,000 keys of
# its own in TOML front matter: each key was looked for among all the
# section's fields so far (one page of 60,000 took 4.2 s; these time out).
rm site.yaml
printf 'title = "x"\n' >hugo.toml
python3 -c "
for p in range(3):
    open('content/faq/k%d.md' % p, 'w').write('+++\\n' + ''.join('k%d_%d = 1\\n' % (p, i) for i in range(70000)) + '+++\\nx\\n')"
