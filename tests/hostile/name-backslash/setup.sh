printf -- '---\ntitle: x\n---\n' > 'content/faq/a\\b.md'
