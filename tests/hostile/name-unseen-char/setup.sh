# A page whose file name is ok.md's with a zero width space after it: its
# URL /faq/ok​/ reads as the real page's /faq/ok/ (the duplicate check folds
# case and Unicode form, not unseen characters), and one whose name turns
# the rest of its URL around on screen (U+202E), both taken before.
printf -- '---\ntitle: x\n---\n' > "content/faq/ok$(printf '\342\200\213').md"
printf -- '---\ntitle: x\n---\n' > "content/faq/a$(printf '\342\200\256')b.md"
