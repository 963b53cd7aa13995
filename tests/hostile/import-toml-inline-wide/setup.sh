# jixia import hugo over a config whose one line is an inline table of
# 85,000 keys: each key's column was counted from the line's start (over
# 60 s for 90,000).
rm site.yaml
python3 -c "open('hugo.toml', 'w').write('title = \"x\"\\np = {' + ', '.join('k%d = 1' % i for i in range(85000)) + '}\\n')"
