printf -- '---\ntitle: x\n---\n' > "content/faq/a$(printf '\001')b.md"
