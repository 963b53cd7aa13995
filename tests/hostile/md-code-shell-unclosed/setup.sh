# A shell code block of one line of 450,000 "${" that none closes: the
# highlighter looked for each one's '}' to the end of the line (over 120 s).
python3 -c "open('content/faq/sh.md','w').write('---\ntitle: sh\n---\n\`\`\`sh\n' + '\${' * 450000 + '\n\`\`\`\n')"
