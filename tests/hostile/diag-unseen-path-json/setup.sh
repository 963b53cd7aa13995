# diag-unseen-path in the json format: the path is exact there, each
# character that does not show as its JSON escape (\u200b), so a tool
# reading the diagnostics opens the very file; nothing raw reaches the
# terminal.
printf -- '---\ntitle: x\n---\n' >"content/faq/ok$(printf '\342\200\213').md"
mkdir -p "content/faq/d$(printf '\357\273\277')" static
printf -- '---\ntitle: x\n---\n' >"content/faq/d$(printf '\357\273\277')/index.md"
printf -- '---\ntitle: x\n---\n' >"content/faq/a$(printf '\342\200\256')b.md"
printf 'x' >"static/r$(printf '\342\200\213').txt"
