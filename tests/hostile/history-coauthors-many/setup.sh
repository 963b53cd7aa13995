# One commit with 200,000 Co-authored-by trailers of different people: each
# was looked for among the commit's identities before it (100,000: 9.9 s).
git init -q -b main
git add -A
python3 -c "print('many\\n\\n' + ''.join('Co-authored-by: P%d <p%d@example.org>\\n' % (i, i) for i in range(200000)))" >../msg
GIT_AUTHOR_DATE=@1577872800 GIT_COMMITTER_DATE=@1577872800 \
	git -c user.name=A -c user.email=a@example.org commit -q -F ../msg
rm ../msg
