# Published files whose names do not read as they are: a bidi override
# makes static/report<U+202E>fdp.zip show as "reportpiz.pdf", and a zero
# width space gives a picture beside a page a twin that reads alike. Page
# URLs refused these (name-unseen-char); static/, attachments and assets/
# published them.
mkdir -p static assets content/faq/b
printf 'PK' >"static/report$(printf '\342\200\256')fdp.zip"
printf -- '---\ntitle: b\n---\n' >content/faq/b/index.md
printf 'x' >"content/faq/b/a$(printf '\342\200\213').txt"
printf 'a{}' >"assets/x$(printf '\342\200\256').css"
