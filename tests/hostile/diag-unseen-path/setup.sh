# Files whose names hold characters that do not show: a zero width space,
# U+FEFF and a bidi override (which turns the rest of a terminal's line
# around). Each is refused, and the diagnostic's path (and the message
# quoting the URL) shows the character as its escape, so a reader sees
# which file is meant: it was printed raw, reading as "ok.md".
printf -- '---\ntitle: x\n---\n' >"content/faq/ok$(printf '\342\200\213').md"
mkdir -p "content/faq/d$(printf '\357\273\277')" static
printf -- '---\ntitle: x\n---\n' >"content/faq/d$(printf '\357\273\277')/index.md"
printf -- '---\ntitle: x\n---\n' >"content/faq/a$(printf '\342\200\256')b.md"
printf 'x' >"static/r$(printf '\342\200\213').txt"
